// The popup's spec messages (spec:set, spec:clear, tab:check), answered from storage.local and
// the tab's capture log (extension/worker/spec.ts); identities from the companion when it answers.
import { browser } from 'wxt/browser';
import type { IdentityResource } from '../../protocol/resources';
import type { WorkerRequest } from '../shared/messages';
import type { Area } from './persisted';
import type { Worker } from './router';
import { loadStoredSpec, SPEC_KEY, storeSpec, tabCheck, type TabCheck } from './spec';

type SpecRequest = Extract<WorkerRequest, { type: 'spec:set' | 'spec:clear' | 'tab:check' }>;

const area = (): Area => browser.storage.local as unknown as Area;

/** The companion's identities of the visit, when it has the visit (else the events' own say). */
async function companionIdentities(w: Worker, visitID: string): Promise<IdentityResource[] | undefined> {
  if (w.courier.status.reachable === false) return undefined;
  const v = await w.companion.visit(visitID).catch(() => null);
  return v?.visit ? v.identities : undefined;
}

async function check(w: Worker, tabId: number): Promise<TabCheck> {
  const stored = await loadStoredSpec(area());
  if (!stored) return { stored: null, spec: null, report: null };
  const log = await w.log.get(tabId);
  const visitID = log.ids?.visitID ?? null;
  const first = tabCheck(stored, log.records, log.deliveries, visitID);
  // The History API is asked only when the spec has identity expectations: a poll a second.
  if (!visitID || !first.spec?.identities?.length) return first;
  const identities = await companionIdentities(w, visitID);
  return identities ? tabCheck(stored, log.records, log.deliveries, visitID, identities) : first;
}

export async function specRequest(w: Worker, msg: SpecRequest): Promise<unknown> {
  switch (msg.type) {
    case 'spec:set': {
      const loaded = await storeSpec(area(), msg.text);
      return loaded.ok ? { ok: true } : { ok: false, field: loaded.problem.place, error: loaded.problem.reason };
    }
    case 'spec:clear':
      await area().remove(SPEC_KEY);
      return { ok: true };
    case 'tab:check':
      if (!Number.isInteger(msg.tabId)) return { ok: false, field: 'tabId', error: 'tabId must be a tab number' };
      return check(w, msg.tabId);
  }
}
