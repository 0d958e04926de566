/**
 * The analysis store's tables (DuckDB). Narrow facts without personal data (the columns of
 * TicketFacts and ContactFacts in libs/database/src/analysis-feed.repository.ts), and the feed's
 * position in each log, written in the same transaction as the facts it brought.
 * A store whose version differs is dropped and rebuilt from PostgreSQL.
 *
 * The dimensions (channel, category, department, place, status…) are stored as integer codes of
 * `labels`: grouping and filtering by an integer costs DuckDB about half what a string does, and
 * a figure turns codes back into labels only for the few rows it answers (`label_of`). The views
 * `ticket_facts_labelled` and `contact_facts_labelled` show the facts with their labels, for
 * people reading the store by hand.
 */
export const STORE_VERSION = 2;

export const TICKET_FACT_COLUMNS = {
  id: 'VARCHAR',
  number: 'VARCHAR',
  received_ms: 'DOUBLE',
  day: 'INTEGER',
  channel: 'INTEGER',
  type: 'INTEGER',
  category: 'INTEGER',
  department_id: 'INTEGER',
  district: 'INTEGER',
  neighbourhood: 'INTEGER',
  segment: 'INTEGER',
  status: 'INTEGER',
  outcome: 'INTEGER',
  sla_breached: 'BOOLEAN',
  reopen_count: 'INTEGER',
  resolved: 'BOOLEAN',
  res_h: 'DOUBLE',
  clo_h: 'DOUBLE',
  dep_h: 'DOUBLE',
  exp_h: 'DOUBLE',
  answered_ms: 'DOUBLE',
  has_assignee: 'BOOLEAN',
  stage_since_ms: 'DOUBLE',
  routed: 'BOOLEAN',
  returned: 'BOOLEAN',
  approval_levels: 'INTEGER[]',
  approval_hours: 'DOUBLE[]',
  rating: 'INTEGER',
  checks: 'INTEGER',
  not_fixed: 'INTEGER',
} as const;

export const CONTACT_FACT_COLUMNS = {
  id: 'VARCHAR',
  at_ms: 'DOUBLE',
  day: 'INTEGER',
  channel: 'INTEGER',
  outcome: 'INTEGER',
} as const;

/** The columns held as codes of `labels` (TicketFacts and ContactFacts carry their labels). */
export const TICKET_LABELLED = ['channel', 'type', 'category', 'department_id', 'district', 'neighbourhood', 'segment', 'status', 'outcome'] as const;
export const CONTACT_LABELLED = ['channel', 'outcome'] as const;

const columns = (c: Record<string, string>) => Object.entries(c).map(([name, type]) => `${name} ${type}`).join(', ');

export const STORE_TABLES = ['ticket_facts', 'contact_facts', 'labels', 'feed_position', 'store_meta'] as const;

/** A view of a facts table with each coded column as its label. */
const labelledView = (view: string, table: string, coded: readonly string[]) =>
  `CREATE OR REPLACE VIEW ${view} AS SELECT * REPLACE (${coded.map((c) => `label_of(${c}) AS ${c}`).join(', ')}) FROM ${table}`;

export const CREATE_STORE = [
  `CREATE TABLE IF NOT EXISTS ticket_facts (${columns(TICKET_FACT_COLUMNS)})`,
  `CREATE TABLE IF NOT EXISTS contact_facts (${columns(CONTACT_FACT_COLUMNS)})`,
  `CREATE TABLE IF NOT EXISTS labels (code INTEGER PRIMARY KEY, label VARCHAR NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS feed_position (source VARCHAR PRIMARY KEY, position DOUBLE NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS store_meta (version INTEGER NOT NULL)`,
];

/** What the figures and the views read the codes with; created once the tables are of this version. */
export const CREATE_READERS = [
  `CREATE OR REPLACE MACRO label_of(c) AS (SELECT label FROM labels WHERE code = c)`,
  labelledView('ticket_facts_labelled', 'ticket_facts', TICKET_LABELLED),
  labelledView('contact_facts_labelled', 'contact_facts', CONTACT_LABELLED),
];

/** A store of another version goes whole (its columns may differ), views first. */
export const DROP_STORE = [
  'DROP VIEW IF EXISTS ticket_facts_labelled',
  'DROP VIEW IF EXISTS contact_facts_labelled',
  ...STORE_TABLES.map((table) => `DROP TABLE IF EXISTS ${table}`),
];

/** The struct type DuckDB's from_json reads a JSON array of these rows as. */
export const jsonRowsType = (c: Record<string, string>) =>
  JSON.stringify([Object.fromEntries(Object.entries(c).map(([name, type]) => [name, type]))]);
