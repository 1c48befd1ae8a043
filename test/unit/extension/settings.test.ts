import { describe, expect, it } from 'vitest';
import { defaultSettings, hostOfPattern, hostPattern, normalizeCompanionUrl, trackableHost, trackedHosts } from '../../../extension/worker/settings';

describe('which hosts are tracked', () => {
  it('localhost and 127.0.0.1 out of the box; others when switched on; built-ins can be switched off', () => {
    const s = defaultSettings();
    expect(trackedHosts(s)).toEqual(['localhost', '127.0.0.1']);
    s.enabledHosts = ['shop.test', 'localhost'];
    s.disabledHosts = ['127.0.0.1'];
    expect(trackedHosts(s)).toEqual(['localhost', 'shop.test']);
  });
  it('a host matches every page on it, http and https, any port', () => {
    expect(hostPattern('shop.test')).toBe('*://shop.test/*');
    // Read back from a granted permission; the companion's own (http://h/*) and all-sites are not sites.
    expect(hostOfPattern(hostPattern('shop.test'))).toBe('shop.test');
    expect(hostOfPattern('http://lab.example/*')).toBeNull();
    expect(hostOfPattern('*://*/*')).toBeNull();
  });
  it('only http(s) pages are trackable', () => {
    expect(trackableHost('http://localhost:3000/a?b')).toBe('localhost');
    expect(trackableHost('https://shop.test/')).toBe('shop.test');
    expect(trackableHost('chrome://extensions')).toBeNull();
    expect(trackableHost('about:blank')).toBeNull();
    expect(trackableHost(undefined)).toBeNull();
    expect(trackableHost('not a url')).toBeNull();
  });
});

describe('the companion address', () => {
  it('is an http(s) origin', () => {
    expect(normalizeCompanionUrl(' http://127.0.0.1:9081/server/ ')).toBe('http://127.0.0.1:9081');
    expect(normalizeCompanionUrl('https://lab.example:8443')).toBe('https://lab.example:8443');
    expect(normalizeCompanionUrl('ftp://x')).toBeNull();
    expect(normalizeCompanionUrl('127.0.0.1:9081')).toBeNull();
  });
});
