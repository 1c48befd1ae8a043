// Writing back what the engine did to an intake slice (slice.ts): new rows for what it made (in
// the order it made them, so the `ord` columns keep its lists' order), updates for what it
// changed (a record's doc compared with the text it was loaded as).
import type { PoolClient } from 'pg';
import type { StoredEvent } from '../../../protocol';
import type { LabState, RunRecord } from '../../engine';
import { eventText } from '../record-text';
import { jsonText } from './keys';
import { contactKeys, docText, identityDoc, pageDoc, runDoc, sessionDoc, visitDoc, type Doc } from './rows';
import type { IntakeSlice } from './slice';

const changed = (slice: IntakeSlice, key: string, doc: Doc) => slice.before.get(key) !== docText(doc);

/**
 * Writes back what the engine did to the slice: new rows for what it made (in the order it
 * made them, so the `ord` columns keep its lists' order), updates for what it changed.
 * `applied`: the events the engine stored, in the order it applied them.
 */
export async function saveIntakeSlice(c: PoolClient, slice: IntakeSlice, applied: readonly StoredEvent[]): Promise<void> {
  const pageOfEvent = await saveVisits(c, slice);
  await saveEvents(c, applied, pageOfEvent);
  await saveIdentities(c, slice);
  for (const run of Object.values(slice.state.runs ?? {})) await saveRun(c, slice, run, applied);
}

/** The visits and their pages; returns the page each event went to (new ones and held ones). */
async function saveVisits(c: PoolClient, slice: IntakeSlice): Promise<Map<string, string>> {
  const { state, before } = slice;
  const newVisits = state.visitOrder.map((id) => state.visits[id]);
  const visitRows = Object.values(state.visits).filter((v) => !before.has(`v:${v.visitId}`) || changed(slice, `v:${v.visitId}`, visitDoc(v)));
  if (visitRows.length) {
    // Inserted in the order they were made (their `ord`), updated otherwise.
    const ordered = [...newVisits, ...visitRows.filter((v) => before.has(`v:${v.visitId}`))];
    await c.query(
      `INSERT INTO visits (visit_id, global_visit_id, last_activity, doc)
         SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::json[])
       ON CONFLICT (visit_id) DO UPDATE SET global_visit_id = excluded.global_visit_id, last_activity = excluded.last_activity, doc = excluded.doc`,
      [ordered.map((v) => v.visitId), ordered.map((v) => v.globalVisitID), ordered.map((v) => v.lastActivity), ordered.map((v) => jsonText(docText(visitDoc(v))))],
    );
  }

  // Pages, in each visit's order; the events each page took (its eventIds started empty).
  const pageRows = Object.values(state.visits).flatMap((v) => v.pageIds.map((id) => state.pages[id]));
  const pageWrites = pageRows.filter((p) => !before.has(`p:${p.pageId}`) || changed(slice, `p:${p.pageId}`, pageDoc(p)));
  if (pageWrites.length) {
    await c.query(
      `INSERT INTO pages (page_id, visit_id, doc) SELECT * FROM unnest($1::text[], $2::text[], $3::json[])
       ON CONFLICT (page_id) DO UPDATE SET doc = excluded.doc`,
      [pageWrites.map((p) => p.pageId), pageWrites.map((p) => p.visitId), pageWrites.map((p) => jsonText(docText(pageDoc(p))))],
    );
  }
  const pageOfEvent = new Map<string, string>();
  for (const p of pageRows) for (const id of p.eventIds) pageOfEvent.set(id, p.pageId);
  return pageOfEvent;
}

/** The new events, each with its page; and events stored before their page existed, taken by it now. */
async function saveEvents(c: PoolClient, applied: readonly StoredEvent[], pageOfEvent: Map<string, string>): Promise<void> {
  if (applied.length) {
    await c.query(
      `INSERT INTO events (event_id, visit_id, page_id, event_name, body)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [applied.map((e) => e.eventID), applied.map((e) => e.visitID), applied.map((e) => pageOfEvent.get(e.eventID) ?? null), applied.map((e) => e.eventName), applied.map((e) => jsonText(eventText(e)))],
    );
  }
  const fresh = new Set(applied.map((e) => e.eventID));
  const held = [...pageOfEvent].filter(([id]) => !fresh.has(id));
  if (held.length) {
    await c.query('UPDATE events SET page_id = h.page_id FROM unnest($1::text[], $2::text[]) AS h(event_id, page_id) WHERE events.event_id = h.event_id', [
      held.map(([id]) => id),
      held.map(([, page]) => page),
    ]);
  }
}

/** Sessions, identities (new ones in the order they were made), their visit links, contacts. */
async function saveIdentities(c: PoolClient, slice: IntakeSlice): Promise<void> {
  const { state, before } = slice;
  const sessions = Object.values(state.sessions).filter((s) => changed(slice, `s:${s.sessionId}`, sessionDoc(s)));
  if (sessions.length) {
    await c.query(
      `INSERT INTO sessions (session_id, visit_id, doc) SELECT * FROM unnest($1::text[], $2::text[], $3::json[])
       ON CONFLICT (session_id) DO UPDATE SET doc = excluded.doc`,
      [sessions.map((s) => s.sessionId), sessions.map((s) => s.visitId), sessions.map((s) => jsonText(docText(sessionDoc(s))))],
    );
  }

  const identities = [
    ...state.identityOrder.map((id) => state.identities[id]),
    ...Object.values(state.identities).filter((i) => before.has(`i:${i.identityId}`) && changed(slice, `i:${i.identityId}`, identityDoc(i))),
  ];
  if (identities.length) {
    await c.query(
      `INSERT INTO identities (identity_id, doc) SELECT * FROM unnest($1::text[], $2::json[])
       ON CONFLICT (identity_id) DO UPDATE SET doc = excluded.doc`,
      [identities.map((i) => i.identityId), identities.map((i) => jsonText(docText(identityDoc(i))))],
    );
  }
  const links = Object.values(state.identities).flatMap((i) => i.visitIds.map((v) => [i.identityId, v] as const));
  if (links.length) {
    await c.query('INSERT INTO identity_visits (identity_id, visit_id) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT DO NOTHING', [
      links.map(([i]) => i),
      links.map(([, v]) => v),
    ]);
  }

  const contacts = Object.values(state.contacts).filter((ct) => changed(slice, `c:${ct.contactId}`, ct as unknown as Doc));
  if (contacts.length) await upsertContactRows(c, contacts);
}

/** The run's doc, and the events and visits it reached (rows, taken once each). */
async function saveRun(c: PoolClient, slice: IntakeSlice, run: RunRecord, applied: readonly StoredEvent[]): Promise<void> {
  if (changed(slice, `r:${run.runId}`, runDoc(run))) await c.query('UPDATE runs SET doc = $2 WHERE run_id = $1', [run.runId, jsonText(docText(runDoc(run)))]);
  const byId = new Map(applied.map((e) => [e.eventID, e.visitID]));
  if (run.eventIds.length) {
    await c.query('INSERT INTO run_events (run_id, event_id, visit_id) SELECT $1, * FROM unnest($2::text[], $3::text[]) ON CONFLICT DO NOTHING', [
      run.runId,
      run.eventIds,
      run.eventIds.map((id) => byId.get(id) ?? ''),
    ]);
  }
  const reached = run.visitIds.slice(slice.runVisitsBefore);
  if (reached.length) await c.query('INSERT INTO run_visits (run_id, visit_id) SELECT $1, * FROM unnest($2::text[]) ON CONFLICT DO NOTHING', [run.runId, reached]);
}

/** Inserts or replaces contacts whole (their lookup columns with them). */
export async function upsertContactRows(c: PoolClient, contacts: readonly LabState['contacts'][string][]): Promise<void> {
  const keys = contacts.map(contactKeys);
  await c.query(
    `INSERT INTO contacts (contact_id, user_id_key, email_key, phone_key, doc)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::json[])
     ON CONFLICT (contact_id) DO UPDATE SET user_id_key = excluded.user_id_key, email_key = excluded.email_key,
       phone_key = excluded.phone_key, doc = excluded.doc`,
    [contacts.map((ct) => ct.contactId), keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2]), contacts.map((ct) => jsonText(JSON.stringify(ct)))],
  );
}
