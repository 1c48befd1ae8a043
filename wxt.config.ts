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
    // declarativeNetRequest: holds back a tracked site's own GWE loader (worker/site-loader.ts).
    permissions: ['storage', 'unlimitedStorage', 'scripting', 'alarms', 'activeTab', 'declarativeNetRequest'],
    // localhost and 127.0.0.1 (the built-in sites and the companion) come from the content
    // scripts' matches; any other site is asked for when the user switches it on.
    optional_host_permissions: ['*://*/*'],
    action: { default_title: 'Visitor Lab' },
    // The built-in sites' pages send their capture records to the worker themselves, with no
    // relay (worker/direct.ts); the worker takes only `capture` that way. Chromium only.
    externally_connectable: { matches: ['*://localhost/*', '*://127.0.0.1/*'] },
  },
  hooks: {
    // Firefox (`npm run build:firefox`, docs/extension.md "Firefox"): an add-on id of its own (an
    // MV3 add-on needs one for storage and for a stable install), 128 for MAIN-world content
    // scripts registered at run time; `key` is Chromium's id and means nothing there, nor does
    // `externally_connectable` for web pages (the relay carries the records there).
    'build:manifestGenerated': (wxt, manifest) => {
      if (wxt.config.browser !== 'firefox') return;
      delete (manifest as { key?: string }).key;
      delete (manifest as { externally_connectable?: unknown }).externally_connectable;
      manifest.browser_specific_settings = { gecko: { id: 'visitor-lab@visitor-lab.local', strict_min_version: '128.0' } };
    },
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
