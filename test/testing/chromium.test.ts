// findChromium: the environment's choice first (and a wrong one said), then the usual places.
import { chmodSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findChromium, NO_CHROMIUM, requireChromium } from '../../testing/index';
import { tempDirs } from '../helpers/temp-dirs';

const makeDir = tempDirs('vl-chromium-');

function fakeBrowser(dir: string, name: string, mode = 0o755): string {
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, mode);
  return file;
}

describe('findChromium', () => {
  it('takes PUPPETEER_EXECUTABLE_PATH, then CHROME_PATH, then CHROMIUM_PATH', () => {
    const dir = makeDir();
    const a = fakeBrowser(dir, 'a');
    const b = fakeBrowser(dir, 'b');
    const c = fakeBrowser(dir, 'c');
    expect(findChromium({ env: { PUPPETEER_EXECUTABLE_PATH: a, CHROME_PATH: b, CHROMIUM_PATH: c }, places: [] })).toBe(a);
    expect(findChromium({ env: { CHROME_PATH: b, CHROMIUM_PATH: c }, places: [] })).toBe(b);
    expect(findChromium({ env: { CHROMIUM_PATH: c }, places: [] })).toBe(c);
  });

  it('says so when a variable names no executable, rather than using another browser', () => {
    const dir = makeDir();
    const notExecutable = fakeBrowser(dir, 'plain', 0o644);
    const usual = fakeBrowser(dir, 'chromium');
    expect(() => findChromium({ env: { CHROMIUM_PATH: notExecutable }, places: [usual] })).toThrow(`CHROMIUM_PATH=${notExecutable} is not an executable file`);
    expect(() => findChromium({ env: { CHROME_PATH: path.join(dir, 'missing') }, places: [usual] })).toThrow('CHROME_PATH=');
  });

  it('looks at the usual places in order, skipping what is missing or not executable', () => {
    const dir = makeDir();
    const plain = fakeBrowser(dir, 'chromium', 0o644);
    const chrome = fakeBrowser(dir, 'google-chrome');
    expect(findChromium({ env: {}, places: [path.join(dir, 'missing'), plain, chrome] })).toBe(chrome);
  });

  it('is null when there is none, and requireChromium says how to get one in one line', () => {
    const dir = makeDir();
    expect(findChromium({ env: {}, places: [path.join(dir, 'chromium')] })).toBeNull();
    expect(() => requireChromium({ env: {}, places: [] })).toThrow(NO_CHROMIUM);
    expect(NO_CHROMIUM).not.toContain('\n');
    expect(NO_CHROMIUM).toMatch(/apt-get install chromium/);
    expect(NO_CHROMIUM).toMatch(/CHROMIUM_PATH/);
  });

});
