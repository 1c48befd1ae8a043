import { describe, expect, it } from 'vitest';
import { Persisted } from '../../../extension/worker/persisted';
import { memoryArea } from './memory-area';

describe('Persisted: one value in extension storage', () => {
  it('a failed write keeps the change: the next save writes it', async () => {
    const area = memoryArea();
    let fail = 1;
    const set = area.set.bind(area);
    area.set = async (items) => {
      if (fail-- > 0) throw new Error('QUOTA_BYTES quota exceeded');
      return set(items);
    };
    const value = new Persisted<string[]>(area, 'k', () => []);
    (await value.get()).push('a');
    await expect(value.save()).rejects.toThrow(/quota/);
    await value.save();
    expect(area.data.get('k')).toEqual(['a']);
  });

  it('a write that throws at once does not wedge later saves', async () => {
    const area = memoryArea();
    const set = area.set.bind(area);
    let fail = true;
    area.set = (items) => {
      if (fail) throw new Error('sync failure');
      return set(items);
    };
    const value = new Persisted<number>(area, 'n', () => 1);
    await value.get();
    await expect(value.save()).rejects.toThrow(/sync failure/);
    fail = false;
    await value.save();
    expect(area.data.get('n')).toBe(1);
  });

  it('a failed load is tried again', async () => {
    const area = memoryArea();
    await area.set({ k: ['stored'] });
    const get = area.get.bind(area);
    let fail = true;
    area.get = async (key) => {
      if (fail) throw new Error('not yet');
      return get(key);
    };
    const value = new Persisted<string[]>(area, 'k', () => []);
    await expect(value.get()).rejects.toThrow(/not yet/);
    fail = false;
    expect(await value.get()).toEqual(['stored']);
  });
});
