// The slice of the state one intake request touches, loaded for the engine and saved back.
// The engine runs on a partial LabState holding the request's visits (with their pages and
// open sessions), the identities and contacts its identifying events may name, and its run;
// what it changed or added is written back in the same transaction. The id lists of loaded
// records start empty: whatever the engine pushes onto them is exactly what is new (the rows
// that hold them, schema.ts).
//
// Locks, taken before anything is read so that what is read is what this transaction changes:
// the visits' (one order for a visit's events, whichever companion takes them), then the
// identities' and, when an event may create or match a contact, the contact directory's; each
// set in sorted order and the sets in this order, so two requests never wait on each other in
// a circle.
import type { PoolClient } from 'pg';
import type { StoredEvent } from '../../../protocol';
import {
  contactCandidate,
  emptyState,
  identifyingReach,
  normalisedKeys,
  own,
  type EngineConfig,
  type LabState,
} from '../../engine';
import { eventText } from '../record-text';
import { jsonText } from './keys';
import { lockKeys } from './locks';
import { contactKeys, docText, identityDoc, identityOf, pageDoc, pageOf, runDoc, runOf, sessionDoc, visitDoc, visitOf, type Doc } from './rows';

export interface IntakeSlice {
  state: LabState;
  /** Each loaded record's doc text, by `table:id`: what the engine changed is written back. */
  before: Map<string, string>;
  /** The visits' run-visit rows that exist (the run's visitIds loaded are those). */
  runVisitsBefore: number;
}

const CONTACT_DIRECTORY = 'c:*';

/** Loads what applying `events` (new eventIDs, validated) can touch; takes the locks first. */
export async function loadIntakeSlice(c: PoolClient, events: readonly StoredEvent[], config: EngineConfig, runId: string | undefined): Promise<IntakeSlice> {
  const state = emptyState();
  state.config = config;
  const before = new Map<string, string>();
  const visitIds = [...new Set(events.map((e) => e.visitID))].sort();
  await lockKeys(c, visitIds.map((id) => `v:${id}`));

  const visits = await c.query<{ visit_id: string; doc: Doc }>('SELECT visit_id, doc FROM visits WHERE visit_id = ANY($1)', [visitIds]);
  for (const row of visits.rows) {
    state.visits[row.visit_id] = visitOf(row.doc);
    before.set(`v:${row.visit_id}`, docText(row.doc));
  }
  const pages = await c.query<{ page_id: string; visit_id: string; doc: Doc }>('SELECT page_id, visit_id, doc FROM pages WHERE visit_id = ANY($1) ORDER BY ord', [visitIds]);
  for (const row of pages.rows) {
    state.pages[row.page_id] = pageOf(row.doc);
    state.visits[row.visit_id].pageIds.push(row.page_id);
    before.set(`p:${row.page_id}`, docText(row.doc));
  }

  // What the identifying events reach, and the visits' own identities (a SignIn or SignOut
  // demotes the identity of the session it ends).
  const identityIds = new Set<string>();
  const sessionIds = new Set<string>();
  const keys = { userId: new Set<string>(), email: new Set<string>(), phone: new Set<string>() };
  for (const visit of Object.values(state.visits)) {
    for (const link of visit.identities) identityIds.add(link.identityId);
    if (visit.activeSessionId !== null) sessionIds.add(visit.activeSessionId);
  }
  let identifying = false;
  for (const ev of events) {
    const reach = identifyingReach(ev);
    if (!reach) continue;
    identifying = true;
    reach.identityIds.forEach((id) => identityIds.add(id));
    reach.sessionIds.forEach((id) => sessionIds.add(id));
    const norm = normalisedKeys(reach.contactKeys);
    for (const field of ['userId', 'email', 'phone'] as const) if (norm[field] !== undefined) keys[field].add(norm[field]!);
  }
  await lockKeys(c, [...(identifying ? [CONTACT_DIRECTORY] : []), ...[...identityIds].map((id) => `i:${id}`)].sort());

  if (identityIds.size) {
    const rows = await c.query<{ identity_id: string; doc: Doc }>('SELECT identity_id, doc FROM identities WHERE identity_id = ANY($1)', [[...identityIds]]);
    for (const row of rows.rows) {
      state.identities[row.identity_id] = identityOf(row.doc);
      before.set(`i:${row.identity_id}`, docText(row.doc));
    }
  }
  if (identifying) await loadContacts(c, state, before, keys, identityIds);
  if (sessionIds.size) {
    const rows = await c.query<{ session_id: string; doc: Doc }>('SELECT session_id, doc FROM sessions WHERE session_id = ANY($1)', [[...sessionIds]]);
    for (const row of rows.rows) {
      state.sessions[row.session_id] = row.doc as unknown as LabState['sessions'][string];
      before.set(`s:${row.session_id}`, docText(row.doc));
    }
  }
  let runVisitsBefore = 0;
  if (runId !== undefined) {
    const run = await c.query<{ doc: Doc }>('SELECT doc FROM runs WHERE run_id = $1 FOR UPDATE', [runId]);
    if (run.rows.length) {
      const reached = await c.query<{ visit_id: string }>('SELECT visit_id FROM run_visits WHERE run_id = $1 AND visit_id = ANY($2)', [runId, visitIds]);
      const visitIdsOfRun = reached.rows.map((r) => r.visit_id);
      runVisitsBefore = visitIdsOfRun.length;
      state.runs = { [runId]: runOf(run.rows[0].doc, [], visitIdsOfRun) };
      before.set(`r:${runId}`, docText(run.rows[0].doc));
    }
  }
  return { state, before, runVisitsBefore };
}

/** The contacts the events' keys match, those the identities name, and the ids a new one may take. */
async function loadContacts(
  c: PoolClient,
  state: LabState,
  before: Map<string, string>,
  keys: Record<'userId' | 'email' | 'phone', Set<string>>,
  identityIds: Set<string>,
): Promise<void> {
  const named = Object.values(state.identities).flatMap((i) => (i.entityInCS === null ? [] : [i.entityInCS]));
  // newContactId takes the first free of contact-ID, contact-ID-2, …: read them until one is free.
  const candidates = [...identityIds].flatMap((id) => Array.from({ length: 8 }, (_, n) => contactCandidate(id, n + 1)));
  const rows = await c.query<{ contact_id: string; doc: Doc }>(
    `SELECT contact_id, doc FROM contacts
      WHERE user_id_key = ANY($1) OR email_key = ANY($2) OR phone_key = ANY($3) OR contact_id = ANY($4)`,
    [[...keys.userId], [...keys.email], [...keys.phone], [...named, ...candidates]],
  );
  for (const row of rows.rows) {
    state.contacts[row.contact_id] = row.doc as unknown as LabState['contacts'][string];
    before.set(`c:${row.contact_id}`, docText(row.doc));
  }
  for (const id of identityIds) {
    for (let n = 9; own(state.contacts, contactCandidate(id, n - 1)); n += 8) {
      const more = Array.from({ length: 8 }, (_, k) => contactCandidate(id, n + k));
      const extra = await c.query<{ contact_id: string; doc: Doc }>('SELECT contact_id, doc FROM contacts WHERE contact_id = ANY($1)', [more]);
      for (const row of extra.rows) {
        state.contacts[row.contact_id] = row.doc as unknown as LabState['contacts'][string];
        before.set(`c:${row.contact_id}`, docText(row.doc));
      }
    }
  }
}

const changed = (slice: IntakeSlice, key: string, doc: Doc) => slice.before.get(key) !== docText(doc);

/**
 * Writes back what the engine did to the slice: new rows for what it made (in the order it
 * made them, so the `ord` columns keep its lists' order), updates for what it changed.
 * `applied`: the events the engine stored, in the order it applied them.
 */
export async function saveIntakeSlice(c: PoolClient, slice: IntakeSlice, applied: readonly StoredEvent[]): Promise<void> {
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

  if (applied.length) {
    await c.query(
      `INSERT INTO events (event_id, visit_id, page_id, event_name, body)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])`,
      [applied.map((e) => e.eventID), applied.map((e) => e.visitID), applied.map((e) => pageOfEvent.get(e.eventID) ?? null), applied.map((e) => e.eventName), applied.map((e) => jsonText(eventText(e)))],
    );
  }
  // Events stored before their page existed, taken by the page made now.
  const fresh = new Set(applied.map((e) => e.eventID));
  const held = [...pageOfEvent].filter(([id]) => !fresh.has(id));
  if (held.length) {
    await c.query('UPDATE events SET page_id = h.page_id FROM unnest($1::text[], $2::text[]) AS h(event_id, page_id) WHERE events.event_id = h.event_id', [
      held.map(([id]) => id),
      held.map(([, page]) => page),
    ]);
  }

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

  for (const run of Object.values(state.runs ?? {})) {
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
