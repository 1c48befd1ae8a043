// Reading what the companion holds, for tests that check what a request stored (or did not).
import { expect } from 'vitest';
import type { Api } from './companion';

export const ZERO_COUNTS = { visits: 0, pages: 0, events: 0, identities: 0, sessions: 0, contacts: 0 };

/** /lab/health's counts. */
export async function counts(http: Api): Promise<Record<string, number>> {
  const res = await http.get('/lab/health');
  expect(res.status).toBe(200);
  return res.body.counts;
}

/** The eventIds stored for a visit (via the History API), or [] when the visit does not exist. */
export async function storedEventIds(http: Api, visitID: string): Promise<string[]> {
  const res = await http.get(`/server/data/visits/${encodeURIComponent(visitID)}?include_events=true`);
  if (res.status === 404) return [];
  expect(res.status).toBe(200);
  return res.body.eventIds;
}

/** The stored events of a visit, or [] when it has none. */
export async function storedEvents(http: Api, visitID: string): Promise<any[]> {
  const res = await http.get(`/server/data/visits/${encodeURIComponent(visitID)}/events`);
  if (res.status === 204) return [];
  expect(res.status).toBe(200);
  return res.body;
}

/** POSTs raw text to intake with a chosen Content-Type (or none). */
export async function postRaw(url: string, body: string | undefined, contentType?: string): Promise<{ status: number; body: any; headers: Headers }> {
  const headers: Record<string, string> = {};
  if (contentType) headers['content-type'] = contentType;
  const res = await fetch(`${url}/server/events`, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    /* keep the text: the assertion on it will fail readably */
  }
  return { status: res.status, body: parsed, headers: res.headers };
}
