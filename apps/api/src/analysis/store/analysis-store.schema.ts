/**
 * The analysis store's tables (DuckDB). Narrow facts without personal data (the columns of
 * TicketFacts and ContactFacts in libs/database/src/analysis-feed.repository.ts), and the feed's
 * position in each log, written in the same transaction as the facts it brought.
 * A store whose version differs is dropped and rebuilt from PostgreSQL.
 */
export const STORE_VERSION = 1;

export const TICKET_FACT_COLUMNS = {
  id: 'VARCHAR',
  number: 'VARCHAR',
  received_ms: 'DOUBLE',
  day: 'INTEGER',
  channel: 'VARCHAR',
  type: 'VARCHAR',
  category: 'VARCHAR',
  department_id: 'VARCHAR',
  district: 'VARCHAR',
  neighbourhood: 'VARCHAR',
  segment: 'VARCHAR',
  status: 'VARCHAR',
  outcome: 'VARCHAR',
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
  channel: 'VARCHAR',
  outcome: 'VARCHAR',
} as const;

const columns = (c: Record<string, string>) => Object.entries(c).map(([name, type]) => `${name} ${type}`).join(', ');

export const STORE_TABLES = ['ticket_facts', 'contact_facts', 'feed_position', 'store_meta'] as const;

export const CREATE_STORE = [
  `CREATE TABLE IF NOT EXISTS ticket_facts (${columns(TICKET_FACT_COLUMNS)})`,
  `CREATE TABLE IF NOT EXISTS contact_facts (${columns(CONTACT_FACT_COLUMNS)})`,
  `CREATE TABLE IF NOT EXISTS feed_position (source VARCHAR PRIMARY KEY, position DOUBLE NOT NULL)`,
  `CREATE TABLE IF NOT EXISTS store_meta (version INTEGER NOT NULL)`,
];

/** The struct type DuckDB's from_json reads a JSON array of these rows as. */
export const jsonRowsType = (c: Record<string, string>) =>
  JSON.stringify([Object.fromEntries(Object.entries(c).map(([name, type]) => [name, type]))]);
