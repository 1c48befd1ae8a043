// The companion a test file (or a describe block) works against: started before each test,
// or once for the block, and closed with its data folder removed afterwards.
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { CompanionOptions } from '../../companion/companion';
import { api, removeData, testCompanion, type Api, type TestCompanion } from './companion';

export interface LabHandle {
  companion: TestCompanion;
  http: Api;
  /** Stops the companion and starts a new one on the same data folder. */
  restart(): Promise<void>;
}

export function useCompanion(options: Partial<CompanionOptions> = {}, scope: 'each' | 'all' = 'each'): LabHandle {
  const [before, after] = scope === 'each' ? [beforeEach, afterEach] : [beforeAll, afterAll];
  const lab = {
    async restart() {
      const { dataDir, database } = lab.companion;
      await lab.companion.close();
      lab.companion = await testCompanion({ ...options, dataDir, ...(database ? { database } : {}) });
      lab.http = api(lab.companion.url);
    },
  } as LabHandle;
  before(async () => {
    lab.companion = await testCompanion(options);
    lab.http = api(lab.companion.url);
  });
  after(async () => {
    if (!lab.companion) return;
    await lab.companion.close();
    await removeData(lab.companion);
  });
  return lab;
}
