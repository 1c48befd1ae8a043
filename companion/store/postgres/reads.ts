// Reading a part of the state from PostgreSQL into a LabState the server's readers walk as they
// walk the embedded store's: the records asked for, with the id lists they are read through.
// Nothing is cached between requests: every answer is read from the database as it is then.
import type { Pool, PoolClient } from 'pg';
import { canonicalIdentityId } from '../../../protocol';
import { emptyState, type EngineConfig, type LabState } from '../../engine';
import type { Need } from '../lab-store';
import { identityOf, pageOf, runOf, visitOf, type Doc } from './rows';

type Queryable = Pool | PoolClient;

/** The settings every reader may look at: categories, the active run, the engine's settings. */
export async function loadSettings(db: Queryable, state: LabState, fallback: EngineConfig): Promise<void> {
  const { rows } = await db.query<{ key: string; value: unknown }>('SELECT key, value FROM settings');
  settingsInto(state, new Map(rows.map((r) => [r.key, r.value])), fallback);
}

function settingsInto(state: LabState, settings: Map<string, unknown>, fallback: EngineConfig): void {
  state.config = (settings.get('config') as EngineConfig | undefined) ?? fallback;
  const categories = settings.get('categories') as LabState['categories'];
  if (categories) state.categories = categories;
  state.activeRunId = (settings.get('activeRunId') as string | null | undefined) ?? null;
}

export async function readNeed(db: Queryable, need: Need, fallback: EngineConfig): Promise<LabState> {
  const state = emptyState();
  if (need.settings === false) state.config = fallback;
  else await loadSettings(db, state, fallback);
  const visitIds = new Set(need.visits ?? []);
  // The whole collections, for an export or a check of everything (pages of them use window()).
  if (need.allVisits) (await db.query<{ visit_id: string }>('SELECT visit_id FROM visits ORDER BY ord')).rows.forEach((r) => visitIds.add(r.visit_id));
  const identityIds = need.allIdentities
    ? (await db.query<{ identity_id: string }>('SELECT identity_id FROM identities ORDER BY ord')).rows.map((r) => r.identity_id)
    : [...new Set((need.identities ?? []).flatMap((id) => [id, canonicalIdentityId(id)]))];
  if (identityIds.length) for (const visitId of await loadIdentities(db, state, identityIds)) if (need.identityVisits) visitIds.add(visitId);
  if (need.runs) for (const visitId of await loadRuns(db, state, need.runs)) if (need.runVisits) visitIds.add(visitId);
  if (need.pages?.length) {
    const { rows } = await db.query<{ visit_id: string }>('SELECT DISTINCT visit_id FROM pages WHERE page_id = ANY($1)', [need.pages]);
    rows.forEach((r) => visitIds.add(r.visit_id));
  }
  const pagesOf = need.visitPages || need.pages?.length ? [...visitIds] : [];
  if (visitIds.size) await loadVisits(db, state, [...visitIds], pagesOf, need.visitEvents);
  if (need.events?.length) await loadEvents(db, state, 'event_id = ANY($1)', [need.events]);
  const contactIds = [...(need.contacts ?? [])];
  if (need.visitIdentities) {
    const linked = [...new Set(Object.values(state.visits).flatMap((v) => v.identities.map((l) => l.identityId)))].filter((id) => !state.identities[id]);
    if (linked.length) await loadIdentities(db, state, linked);
    for (const identity of Object.values(state.identities)) if (identity.entityInCS !== null) contactIds.push(identity.entityInCS);
  }
  if (contactIds.length || need.allContacts) {
    const { rows } = need.allContacts
      ? await db.query<{ contact_id: string; doc: Doc }>('SELECT contact_id, doc FROM contacts ORDER BY ord')
      : await db.query<{ contact_id: string; doc: Doc }>('SELECT contact_id, doc FROM contacts WHERE contact_id = ANY($1) ORDER BY ord', [contactIds]);
    for (const r of rows) state.contacts[r.contact_id] = r.doc as unknown as LabState['contacts'][string];
  }
  return state;
}

/** Visits with their pageIds; the pages of `withPages`; their events' ids, or texts too. */
async function loadVisits(db: Queryable, state: LabState, ids: string[], withPages: string[], events: Need['visitEvents']): Promise<void> {
  const visits = await db.query<{ visit_id: string; doc: Doc }>('SELECT visit_id, doc FROM visits WHERE visit_id = ANY($1) ORDER BY ord', [ids]);
  for (const r of visits.rows) {
    state.visits[r.visit_id] = visitOf(r.doc);
    state.visitOrder.push(r.visit_id);
  }
  const pages = await db.query<{ page_id: string; visit_id: string; doc: Doc | null }>(
    `SELECT page_id, visit_id, CASE WHEN visit_id = ANY($2) THEN doc END AS doc FROM pages WHERE visit_id = ANY($1) ORDER BY ord`,
    [ids, withPages],
  );
  for (const r of pages.rows) {
    state.visits[r.visit_id]?.pageIds.push(r.page_id);
    if (r.doc) state.pages[r.page_id] = pageOf(r.doc);
  }
  if (events === undefined) return;
  const list = await db.query<{ event_id: string; visit_id: string; page_id: string | null; body: string | null }>(
    `SELECT event_id, visit_id, page_id, ${events === 'texts' ? 'body' : 'NULL AS body'} FROM events WHERE visit_id = ANY($1) ORDER BY ord`,
    [ids],
  );
  for (const r of list.rows) {
    state.visits[r.visit_id]?.eventIds.push(r.event_id);
    if (r.page_id !== null) state.pages[r.page_id]?.eventIds.push(r.event_id);
    if (r.body !== null) state.events[r.event_id] = r.body;
  }
}

async function loadEvents(db: Queryable, state: LabState, where: string, params: unknown[]): Promise<void> {
  const { rows } = await db.query<{ event_id: string; body: string }>(`SELECT event_id, body FROM events WHERE ${where}`, params);
  for (const r of rows) state.events[r.event_id] = r.body;
}

/** Identities with their visitIds; returns those visits' ids. */
async function loadIdentities(db: Queryable, state: LabState, ids: string[]): Promise<string[]> {
  const rows = await db.query<{ identity_id: string; doc: Doc }>('SELECT identity_id, doc FROM identities WHERE identity_id = ANY($1) ORDER BY ord', [ids]);
  for (const r of rows.rows) {
    state.identities[r.identity_id] = identityOf(r.doc);
    state.identityOrder.push(r.identity_id);
  }
  const links = await db.query<{ identity_id: string; visit_id: string }>(
    'SELECT identity_id, visit_id FROM identity_visits WHERE identity_id = ANY($1) ORDER BY ord',
    [rows.rows.map((r) => r.identity_id)],
  );
  for (const l of links.rows) state.identities[l.identity_id].visitIds.push(l.visit_id);
  return links.rows.map((l) => l.visit_id);
}

/** Runs with their id lists; returns their visits' ids. */
async function loadRuns(db: Queryable, state: LabState, ids: readonly string[] | 'all'): Promise<string[]> {
  const all = ids === 'all';
  const rows = await db.query<{ run_id: string; doc: Doc }>(all ? 'SELECT run_id, doc FROM runs' : 'SELECT run_id, doc FROM runs WHERE run_id = ANY($1)', all ? [] : [ids]);
  state.runs = {};
  for (const r of rows.rows) state.runs[r.run_id] = runOf(r.doc);
  const runIds = rows.rows.map((r) => r.run_id);
  if (!runIds.length) return [];
  const events = await db.query<{ run_id: string; event_id: string }>('SELECT run_id, event_id FROM run_events WHERE run_id = ANY($1) ORDER BY ord', [runIds]);
  for (const e of events.rows) state.runs[e.run_id].eventIds.push(e.event_id);
  const visits = await db.query<{ run_id: string; visit_id: string }>('SELECT run_id, visit_id FROM run_visits WHERE run_id = ANY($1) ORDER BY ord', [runIds]);
  for (const v of visits.rows) state.runs[v.run_id].visitIds.push(v.visit_id);
  return visits.rows.map((v) => v.visit_id);
}
