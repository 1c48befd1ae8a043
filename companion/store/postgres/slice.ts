// The slice of the state one intake request touches, loaded for the engine (save.ts writes it back).
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
import { lockKeys } from './locks';
import { docText, identityOf, pageOf, runOf, visitOf, type Doc } from './rows';

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
