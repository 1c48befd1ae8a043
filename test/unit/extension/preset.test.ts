// The preset a suite's extension copy carries (testing/extension-dir.ts writes it): what it sets,
// and that a person's saved settings win over it.
import { describe, expect, it } from 'vitest';
import { presetSettings } from '../../../extension/worker/preset';
import { defaultSettings, SETTINGS_KEY, settingsStore } from '../../../extension/worker/settings';
import { memoryArea } from './memory-area';

describe('presetSettings', () => {
  it('takes the companion, credentials, sites (as hosts) and run', () => {
    expect(
      presetSettings({
        companionUrl: 'http://127.0.0.1:4321/',
        companionUser: 'pat',
        companionPassword: 's3cret',
        sites: ['Shop.test', 'http://other.test:8080/x', 'third.test:9000', ' ', 42, 'Shop.test'],
        runId: 'r-1',
      }),
    ).toEqual({
      companionUrl: 'http://127.0.0.1:4321',
      companionUser: 'pat',
      companionPassword: 's3cret',
      enabledHosts: ['shop.test', 'other.test', 'third.test'],
      runId: 'r-1',
    });
  });

  it('leaves out what is wrong, and is null for what is not an object', () => {
    expect(presetSettings({ companionUrl: 'ftp://x', sites: 'shop.test', runId: 7 })).toEqual({});
    expect(presetSettings(null)).toBeNull();
    expect(presetSettings(['x'])).toBeNull();
    expect(presetSettings('x')).toBeNull();
  });
});

describe('settingsStore with a preset', () => {
  const preset = async () => presetSettings({ companionUrl: 'http://127.0.0.1:5555', sites: ['shop.test'], runId: 'r-9' });

  it('starts from the preset when nothing was saved', async () => {
    const s = await settingsStore(memoryArea(), preset).get();
    expect(s).toEqual({ ...defaultSettings(), companionUrl: 'http://127.0.0.1:5555', enabledHosts: ['shop.test'], runId: 'r-9' });
  });

  it('keeps what a person saved: the preset no longer counts', async () => {
    const area = memoryArea();
    const first = settingsStore(area, preset);
    const s = await first.get();
    s.companionUrl = 'http://127.0.0.1:9081';
    s.enabledHosts = [];
    await first.save();
    // A new worker life reads what was saved, not the preset.
    const again = await settingsStore(area, preset).get();
    expect(again.companionUrl).toBe('http://127.0.0.1:9081');
    expect(again.enabledHosts).toEqual([]);
    expect(again.runId).toBe('r-9');
    expect((area.data.get(SETTINGS_KEY) as { companionUrl: string }).companionUrl).toBe('http://127.0.0.1:9081');
  });

  it('a preset that cannot be read is no preset', async () => {
    const s = await settingsStore(memoryArea(), () => Promise.reject(new Error('no file'))).get();
    expect(s).toEqual(defaultSettings());
  });
});
