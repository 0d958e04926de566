import type { DataSource } from 'typeorm';

/**
 * Two database roles: the owner, which runs migrations (and so owns every table, trigger and
 * function), and the application role the API and the worker connect with. The application
 * role reads and writes rows but owns nothing, so it cannot ALTER a table, DISABLE or DROP a
 * trigger or TRUNCATE; on the append-only tables (the audit rows, the erasure records, the
 * personal-data read log, the tracking-link re-sends, the analysis feed's change log) it may only
 * SELECT and INSERT.
 */
export interface AppRole {
  name: string;
  /** Set (or reset) on the role when given; null = the role exists and keeps its password. */
  password: string | null;
}

/** Tables the application may only append to. */
export const APPEND_ONLY_TABLES = ['ticket_events', 'data_erasures', 'pii_reads', 'tracking_link_resends', 'admin_audit', 'staff_oidc_link_events', 'analysis_changes'] as const;

/** The application role of DATABASE_URL, or null when it is the owner itself (a one-role setup). */
export function appRoleOf(appUrl: string, ownerUrl: string): AppRole | null {
  const app = new URL(appUrl);
  const owner = new URL(ownerUrl);
  const name = decodeURIComponent(app.username);
  if (!name || name === decodeURIComponent(owner.username)) return null;
  return { name, password: app.password ? decodeURIComponent(app.password) : null };
}

/**
 * Creates the application role if it does not exist (the owner needs CREATEROLE for that, or
 * an administrator creates it beforehand), sets its password, and grants it exactly what the
 * application needs on everything the migrations made. Idempotent: run after every migration.
 */
export async function grantAppRole(db: DataSource, role: AppRole): Promise<void> {
  const [{ exists }] = await db.query(`SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = $1) AS exists`, [role.name]);
  if (!exists) {
    const [{ sql }] = await db.query(`SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', $1::text, $2::text) AS sql`, [role.name, role.password]);
    await db.query(sql);
  } else if (role.password) {
    const [{ sql }] = await db.query(`SELECT format('ALTER ROLE %I PASSWORD %L', $1::text, $2::text) AS sql`, [role.name, role.password]);
    await db.query(sql).catch((error: Error) => {
      // Without CREATEROLE the owner cannot reset it; the role then keeps the password it has.
      if (!/permission denied|must have CREATEROLE|must be superuser/i.test(error.message)) throw error;
    });
  }
  const [{ ident }] = await db.query(`SELECT quote_ident($1) AS ident`, [role.name]);
  const [{ database }] = await db.query(`SELECT quote_ident(current_database()) AS database`);
  const appendOnly = APPEND_ONLY_TABLES.join(', ');
  await db.query(`
    GRANT CONNECT, TEMPORARY ON DATABASE ${database} TO ${ident};
    GRANT USAGE ON SCHEMA public TO ${ident};
    GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${ident};
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${ident};
    REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON ${appendOnly} FROM ${ident};
  `);
}
