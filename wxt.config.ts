import { defineConfig } from 'wxt';

// The extension (issue: tracker + popup) builds from extension/; WXT's default output
// folder .output/chrome-mv3 is what the e2e tests load into chromium.
export default defineConfig({
  srcDir: 'extension',
  manifestVersion: 3,
  modules: ['@wxt-dev/webextension-polyfill'],
  manifest: {
    name: 'Visitor Lab',
    description: 'Watch how a site identifies its visitors, the Genesys Web Engagement way.',
  },
  vite: () => ({ esbuild: { jsx: 'automatic', jsxImportSource: 'preact' } }),
});
