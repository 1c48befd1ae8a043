// Puppeteer never downloads a browser here (only the npm registry is reachable): the tests
// use Debian's chromium, or the one PUPPETEER_EXECUTABLE_PATH names.
module.exports = {
  skipDownload: true,
  executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium',
};
