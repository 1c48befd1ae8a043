// The one path from the extension to the companion: its address and credentials (from the
// settings), and every request the worker makes to it: delivery (delivery.ts), the health check
// and the History API reads the popup and the panel show. Pages of the extension never fetch
// the companion themselves: "where does this badge come from" has one answer, here.
import type { IdentityResource, VisitResource } from '../../protocol/resources';
import type { CompanionAuth, CompanionVisit } from '../shared/messages';
import type { Persisted } from './persisted';
import type { Settings } from './settings';

export interface CompanionEndpoint {
  url: string;
  /** `authorization` when the settings hold credentials (the companion's `--auth`). */
  headers: Record<string, string>;
  /** The run events are tagged with (intake's X-Lab-Run), when one is set. */
  runId?: string;
}

/** What the popup says about a 401, by whether credentials were sent. */
export const AUTH_TEXT: Record<CompanionAuth, string> = {
  missing: 'the companion asks for credentials',
  refused: 'the companion refused the user and password',
};

export const HEALTH_TIMEOUT_MS = 1500;
export const READ_TIMEOUT_MS = 5000;

/** HTTP Basic, UTF-8 (the companion's WWW-Authenticate says charset="UTF-8"). */
export function basicAuthorization(user: string, password: string): string {
  const bytes = new TextEncoder().encode(`${user}:${password}`);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `Basic ${btoa(binary)}`;
}

export function endpointOf(s: Settings): CompanionEndpoint {
  const headers: Record<string, string> = {};
  if (s.companionUser || s.companionPassword) headers.authorization = basicAuthorization(s.companionUser, s.companionPassword);
  return { url: s.companionUrl, headers, ...(s.runId ? { runId: s.runId } : {}) };
}

export class CompanionLink {
  /** Set by the last answer of a History or lab read: null once one was let in. */
  auth: CompanionAuth | null = null;

  constructor(
    private readonly settings: Persisted<Settings>,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  async endpoint(): Promise<CompanionEndpoint> {
    return endpointOf(await this.settings.get());
  }

  /** A request to the companion with its credentials; notes whether it was let in. */
  async request(path: string, init: RequestInit & { timeoutMs?: number } = {}): Promise<Response> {
    const { url, headers } = await this.endpoint();
    const { timeoutMs = READ_TIMEOUT_MS, ...rest } = init;
    const res = await this.fetchImpl(`${url}${path}`, {
      ...rest,
      headers: { ...headers, ...(rest.headers as Record<string, string> | undefined) },
      signal: AbortSignal.timeout(timeoutMs),
    });
    if (res.status === 401) this.auth = headers.authorization ? 'refused' : 'missing';
    else if (res.ok && !path.startsWith('/server/events')) this.auth = null; // intake is open: it proves nothing
    return res;
  }

  /** `/lab/health`: whether the companion answers, and lets us read. */
  async health(): Promise<{ url: string; reachable: boolean; error?: string }> {
    const { url } = await this.endpoint();
    try {
      const res = await this.request('/lab/health', { timeoutMs: HEALTH_TIMEOUT_MS });
      // A 401 is a companion that answers: delivery works (intake needs no credentials).
      if (res.ok || res.status === 401) return { url, reachable: true };
      return { url, reachable: false, error: `HTTP ${res.status}` };
    } catch (e) {
      return { url, reachable: false, error: `unreachable (${(e as Error).message})` };
    }
  }

  /** The visit and its identities as the History API has them. */
  async visit(visitID: string): Promise<CompanionVisit> {
    const id = encodeURIComponent(visitID);
    try {
      const res = await this.request(`/server/data/visits/${id}`);
      if (res.status === 401) return { visitID, visit: null, identities: [], error: AUTH_TEXT[this.auth ?? 'missing'], auth: this.auth ?? 'missing' };
      if (res.status === 404) return { visitID, visit: null, identities: [], error: 'the companion has no such visit yet' };
      if (!res.ok) return { visitID, visit: null, identities: [], error: `HTTP ${res.status}` };
      const visit = (await res.json()) as VisitResource;
      const idRes = await this.request(`/server/data/visits/${id}/identities`);
      const identities = idRes.status === 200 ? ((await idRes.json()) as IdentityResource[]) : [];
      return { visitID, visit, identities };
    } catch (e) {
      return { visitID, visit: null, identities: [], error: `unreachable (${(e as Error).message})` };
    }
  }
}
