// The operations other than intake, on PostgreSQL: each loads what it changes (under the locks
// intake takes for the same records), lets the engine apply the operation, and writes back.
import type { PoolClient } from 'pg';
import { applyOperation, emptyState, type EngineConfig, type LabState, type Operation } from '../../engine';
import { jsonText } from './keys';
import { ActiveRunTaken } from '../errors';
import { lockKeys } from './locks';
import { loadSettings } from './reads';
import { docText, identityDoc, identityOf, runDoc, runOf, visitOf, type Doc } from './rows';
import { upsertContactRows } from './save';

type Other = Exclude<Operation, { kind: 'events' } | { kind: 'visit' }>;

const ACTIVE_RUN = 'run:active';
const DATA_TABLES = ['visits', 'pages', 'events', 'sessions', 'identities', 'identity_visits', 'contacts', 'runs', 'run_events', 'run_visits'];

async function setSetting(c: PoolClient, key: string, value: unknown): Promise<void> {
  await c.query('INSERT INTO settings (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value', [key, jsonText(JSON.stringify(value))]);
}

export async function applyOther(c: PoolClient, op: Other, config: EngineConfig): Promise<void> {
  switch (op.kind) {
    case 'config':
      return setSetting(c, 'config', op.config);
    case 'categories':
      return setSetting(c, 'categories', op.categories);
    case 'reset':
      // The settings and categories outlive a reset, as in the engine; the active run does not.
      await c.query(`TRUNCATE ${DATA_TABLES.join(', ')}`);
      await c.query("DELETE FROM settings WHERE key = 'activeRunId'");
      return;
    case 'contacts':
      return upsertContacts(c, op, config);
    case 'forget':
      return forget(c, op, config);
    default:
      return runOperation(c, op, config);
  }
}

/** Contacts merged into those stored (upsertContact), under the contact directory's lock. */
async function upsertContacts(c: PoolClient, op: Extract<Other, { kind: 'contacts' }>, config: EngineConfig): Promise<void> {
  await lockKeys(c, ['c:*']);
  const state = emptyState();
  const { rows } = await c.query<{ contact_id: string; doc: Doc }>('SELECT contact_id, doc FROM contacts WHERE contact_id = ANY($1)', [op.contacts.map((ct) => ct.contactId)]);
  for (const r of rows) state.contacts[r.contact_id] = r.doc as unknown as LabState['contacts'][string];
  applyOperation(state, { seq: 0, op }, config);
  await upsertContactRows(c, Object.values(state.contacts));
}

/** A run operation on the run's row (locked), and the active run when it changes. */
async function runOperation(c: PoolClient, op: Extract<Other, { runId: string } | { kind: 'run-start' }>, config: EngineConfig): Promise<void> {
  const state = emptyState();
  // Who is the active run is decided under one lock, whichever companion starts or stops runs.
  if (op.kind === 'run-start' || op.kind === 'run-stop') await lockKeys(c, [ACTIVE_RUN]);
  await loadSettings(c, state, config);
  const runId = op.kind === 'run-start' ? op.run.runId : op.runId;
  if (op.kind === 'run-start' && op.active && state.activeRunId) {
    const current = await c.query<{ doc: Doc }>('SELECT doc FROM runs WHERE run_id = $1', [state.activeRunId]);
    if (current.rows.length) throw new ActiveRunTaken(state.activeRunId, String((current.rows[0].doc as { name?: unknown }).name ?? ''));
  }
  const { rows } = await c.query<{ doc: Doc }>('SELECT doc FROM runs WHERE run_id = $1 FOR UPDATE', [runId]);
  state.runs = rows.length ? { [runId]: runOf(rows[0].doc) } : {};
  const before = rows.length ? docText(rows[0].doc) : null;
  const activeBefore = state.activeRunId;
  applyOperation(state, { seq: 0, op }, config);
  const run = state.runs[runId];
  if (run && docText(runDoc(run)) !== before) {
    await c.query(
      'INSERT INTO runs (run_id, started_at, doc) VALUES ($1, $2, $3) ON CONFLICT (run_id) DO UPDATE SET doc = excluded.doc',
      [runId, run.startedAt, jsonText(docText(runDoc(run)))],
    );
  }
  if (state.activeRunId !== activeBefore) await setSetting(c, 'activeRunId', state.activeRunId ?? null);
}

/**
 * Visits forgotten whole (and runs removed): the engine's forgetVisits on the visits, their
 * identities and the runs that reached them; rows of the visits deleted.
 */
async function forget(c: PoolClient, op: Extract<Other, { kind: 'forget' }>, config: EngineConfig): Promise<void> {
  const state = emptyState();
  await loadSettings(c, state, config);
  const runIds = op.runIds ?? [];
  const ofRuns = runIds.length ? (await c.query<{ visit_id: string }>('SELECT visit_id FROM run_visits WHERE run_id = ANY($1)', [runIds])).rows.map((r) => r.visit_id) : [];
  const gone = [...new Set([...op.visitIds, ...ofRuns])].sort();
  await lockKeys(c, gone.map((id) => `v:${id}`));
  const visits = await c.query<{ visit_id: string; doc: Doc }>('SELECT visit_id, doc FROM visits WHERE visit_id = ANY($1)', [gone]);
  for (const r of visits.rows) state.visits[r.visit_id] = visitOf(r.doc);
  const identityIds = [...new Set(visits.rows.flatMap((r) => visitOf(r.doc).identities.map((l) => l.identityId)))].sort();
  await lockKeys(c, identityIds.map((id) => `i:${id}`));
  // The identities' other visits are read for their links (an identity's scope is its latest).
  const identities = await c.query<{ identity_id: string; doc: Doc }>('SELECT identity_id, doc FROM identities WHERE identity_id = ANY($1)', [identityIds]);
  const before = new Map<string, string>();
  for (const r of identities.rows) {
    state.identities[r.identity_id] = identityOf(r.doc);
    before.set(r.identity_id, docText(r.doc));
  }
  const links = await c.query<{ identity_id: string; visit_id: string; doc: Doc }>(
    'SELECT l.identity_id, l.visit_id, v.doc FROM identity_visits l JOIN visits v USING (visit_id) WHERE l.identity_id = ANY($1) ORDER BY l.ord',
    [identityIds],
  );
  for (const l of links.rows) {
    state.identities[l.identity_id]?.visitIds.push(l.visit_id);
    state.visits[l.visit_id] ??= visitOf(l.doc);
  }
  const touchedRuns = [
    ...new Set([...runIds, ...(await c.query<{ run_id: string }>('SELECT DISTINCT run_id FROM run_visits WHERE visit_id = ANY($1)', [gone])).rows.map((r) => r.run_id)]),
  ];
  const runs = await c.query<{ run_id: string; doc: Doc }>('SELECT run_id, doc FROM runs WHERE run_id = ANY($1) FOR UPDATE', [touchedRuns]);
  // The runs' id lists stay rows: only their docs (captured events) are the engine's to change here.
  state.runs = {};
  for (const r of runs.rows) state.runs[r.run_id] = runOf(r.doc, [], gone);
  const runBefore = new Map(runs.rows.map((r) => [r.run_id, docText(r.doc)]));
  const activeBefore = state.activeRunId;
  applyOperation(state, { seq: 0, op: { kind: 'forget', visitIds: gone } }, config);
  if (runIds.length) {
    for (const id of runIds) delete state.runs[id];
    if (activeBefore !== null && activeBefore !== undefined && runIds.includes(activeBefore)) state.activeRunId = null;
  }

  for (const table of ['events', 'pages', 'sessions', 'identity_visits', 'run_events', 'run_visits', 'visits']) {
    await c.query(`DELETE FROM ${table} WHERE visit_id = ANY($1)`, [gone]);
  }
  for (const id of identityIds) {
    const identity = state.identities[id];
    if (!identity) await c.query('DELETE FROM identities WHERE identity_id = $1', [id]);
    else if (docText(identityDoc(identity)) !== before.get(id)) await c.query('UPDATE identities SET doc = $2 WHERE identity_id = $1', [id, jsonText(docText(identityDoc(identity)))]);
  }
  if (runIds.length) for (const table of ['runs', 'run_events', 'run_visits']) await c.query(`DELETE FROM ${table} WHERE run_id = ANY($1)`, [runIds]);
  for (const run of Object.values(state.runs)) {
    if (docText(runDoc(run)) !== runBefore.get(run.runId)) await c.query('UPDATE runs SET doc = $2 WHERE run_id = $1', [run.runId, jsonText(docText(runDoc(run)))]);
  }
  if (state.activeRunId !== activeBefore) await setSetting(c, 'activeRunId', state.activeRunId ?? null);
}
