import { defineConfig } from 'wxt';
import { EXTENSION_PUBLIC_KEY } from './companion/server/extension-id';

// The extension builds from extension/ into WXT's default output folder, .output/chrome-mv3,
// which is what README tells a user to load and what the e2e tests load into chromium.
export default defineConfig({
  srcDir: 'extension',
  manifestVersion: 3,
  modules: ['@wxt-dev/webextension-polyfill'],
  // Explicit imports everywhere: the tracker and worker modules are plain TypeScript.
  imports: false,
  manifest: {
    name: 'Visitor Lab',
    description: 'Watch how a site identifies its visitors, the Genesys Web Engagement way.',
    // Fixes the extension's id (ejpggenafmfiofodjbhojpnhcmegbgkd), the one extension origin the
    // companion trusts without --allow-extension (see companion/server/extension-id.ts).
    key: EXTENSION_PUBLIC_KEY,
    // Each permission is justified in docs/extension.md.
    permissions: ['storage', 'unlimitedStorage', 'scripting', 'alarms', 'activeTab'],
    // localhost and 127.0.0.1 (the built-in sites and the companion) come from the content
    // scripts' matches; any other site is asked for when the user switches it on.
    optional_host_permissions: ['*://*/*'],
    action: { default_title: 'Visitor Lab' },
  },
  vite: () => ({
    esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
    build: {
      rollupOptions: {
        // zod's sources carry comments Rollup cannot place; harmless, and noise in every build.
        onwarn(warning, warn) {
          if (warning.code !== 'INVALID_ANNOTATION') warn(warning);
        },
      },
    },
  }),
});
