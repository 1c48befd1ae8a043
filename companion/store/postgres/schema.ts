// The PostgreSQL store's schema, as versioned migrations applied in order at start (migrate.ts).
// A migration is never edited once released: a change is a new one at the end.
//
// The state's maps are tables; its id lists are rows with an order column (`ord`, from a
// sequence), so adding an event to a visit is one row, never a rewrite of the visit:
//   visit.eventIds    = events WHERE visit_id ORDER BY ord
//   visit.pageIds     = pages WHERE visit_id ORDER BY ord
//   page.eventIds     = events WHERE page_id ORDER BY ord
//   identity.visitIds = identity_visits WHERE identity_id ORDER BY ord
//   run.eventIds / run.visitIds = run_events / run_visits WHERE run_id ORDER BY ord
//   visitOrder / identityOrder / contact order = the tables ORDER BY ord
// A record's other fields are its `doc`, and events keep their stored JSON text (`body`): json and
// text, not jsonb, which would reorder the keys the answers are written with.
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'identification state',
    sql: `
CREATE TABLE settings (key text PRIMARY KEY, value json NOT NULL);
CREATE SEQUENCE change_seq;
CREATE TABLE visits (
  visit_id text PRIMARY KEY,
  ord bigserial UNIQUE,
  global_visit_id text NOT NULL,
  last_activity bigint NOT NULL,
  doc json NOT NULL
);
CREATE INDEX visits_global_visit_id ON visits (global_visit_id);
CREATE INDEX visits_last_activity ON visits (last_activity);
CREATE TABLE pages (
  page_id text PRIMARY KEY,
  visit_id text NOT NULL,
  ord bigserial,
  doc json NOT NULL
);
CREATE INDEX pages_visit ON pages (visit_id, ord);
CREATE TABLE events (
  event_id text PRIMARY KEY,
  visit_id text NOT NULL,
  page_id text,
  ord bigserial,
  event_name text NOT NULL,
  body text NOT NULL
);
CREATE INDEX events_visit ON events (visit_id, ord);
CREATE INDEX events_page ON events (page_id, ord) WHERE page_id IS NOT NULL;
CREATE TABLE sessions (session_id text PRIMARY KEY, visit_id text NOT NULL, doc json NOT NULL);
CREATE INDEX sessions_visit ON sessions (visit_id);
CREATE TABLE identities (identity_id text PRIMARY KEY, ord bigserial UNIQUE, doc json NOT NULL);
CREATE TABLE identity_visits (
  identity_id text NOT NULL,
  visit_id text NOT NULL,
  ord bigserial,
  PRIMARY KEY (identity_id, visit_id)
);
CREATE INDEX identity_visits_order ON identity_visits (identity_id, ord);
CREATE INDEX identity_visits_visit ON identity_visits (visit_id);
CREATE TABLE contacts (
  contact_id text PRIMARY KEY,
  ord bigserial UNIQUE,
  user_id_key text,
  email_key text,
  phone_key text,
  doc json NOT NULL
);
CREATE INDEX contacts_user_id ON contacts (user_id_key) WHERE user_id_key IS NOT NULL;
CREATE INDEX contacts_email ON contacts (email_key) WHERE email_key IS NOT NULL;
CREATE INDEX contacts_phone ON contacts (phone_key) WHERE phone_key IS NOT NULL;
CREATE TABLE runs (run_id text PRIMARY KEY, ord bigserial, started_at bigint NOT NULL, doc json NOT NULL);
CREATE TABLE run_events (run_id text NOT NULL, event_id text NOT NULL, visit_id text NOT NULL, ord bigserial, PRIMARY KEY (run_id, event_id));
CREATE INDEX run_events_order ON run_events (run_id, ord);
CREATE INDEX run_events_visit ON run_events (visit_id);
CREATE TABLE run_visits (run_id text NOT NULL, visit_id text NOT NULL, ord bigserial, PRIMARY KEY (run_id, visit_id));
CREATE INDEX run_visits_order ON run_visits (run_id, ord);
CREATE INDEX run_visits_visit ON run_visits (visit_id);
`,
  },
];

/** The schema version this companion writes and reads. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version;
