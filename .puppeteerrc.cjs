// The e2e tests drive the machine's own Chromium (testing/chromium.ts finds it, or
// PUPPETEER_EXECUTABLE_PATH / CHROMIUM_PATH): puppeteer's own browser download is not needed at
// `npm ci`, and fails where only the npm registry is reachable.
module.exports = { skipDownload: true };
