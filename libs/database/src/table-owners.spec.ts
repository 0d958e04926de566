import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * A repository per aggregate is the only place that reads and writes its tables (issue 24). A
 * lint rule would need a custom plugin to see SQL text, so this test reads the source tree
 * (apps, activities, libs, workflows; not tests, not migrations) instead.
 */
const ROOT = join(__dirname, '..', '..', '..');
const TREES = ['apps', 'activities', 'libs', 'workflows'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'migrations']);

interface Owner {
  table: string;
  patterns: RegExp[];
  /** Files (or folders, ending in /) allowed to name the table, each with why. */
  allowed: Record<string, string>;
}

const ENTITIES = 'libs/database/src/entities/';
const KVKK = 'libs/database/src/personal-data.repository.ts';
const KVKK_WHY = 'the KVKK anonymisation: one statement over every table with personal data';
const ANALYSIS = 'apps/api/src/analysis/analysis-postgres.figures.ts';
const ANALYSIS_WHY = "the analysis figures computed in PostgreSQL (the design the analysis store replaced; it answers while a store is built, and is the bench's baseline)";
const ANALYSIS_FEED = 'libs/database/src/analysis-feed.repository.ts';
const ANALYSIS_FEED_WHY = "the analysis store's feed: the facts of tickets and contacts (no personal data) in one snapshot";
const LISTING = 'libs/database/src/ticket-listing.repository.ts';
const LISTING_WHY = "the lists' one statement per page: the ticket rows with their followers, the actor index and the page's read log and assignees' names";
const SCOPE = 'libs/database/src/ticket-scope.sql.ts';
const SCOPE_WHY = "canOpen as SQL for the lists: the ticket's submitter, followers and actors (fragments, no statement of their own)";
const PUBLIC = 'libs/database/src/public-requests.repository.ts';
const PUBLIC_WHY = "Open311's public view: each published ticket with its category, institution, department, public answer and referral, in one statement";
const PROJECTION = 'activities/ticket-projection.activities.ts';
const PROJECTION_WHY = "projection writes: the worker's own repository, issue 24 lifecycle work";
const LIVE = 'libs/database/src/live-events.repository.ts';
const LIVE_WHY = 'the live feed: each audit row with the access facts of its ticket (row, followers, actors), in one statement';

/** The SQL that names a table, and an entity passed as a value (`getRepository(X)`, `m.insert(X, …)`): type imports are no access. */
const sql = (...tables: string[]) => new RegExp(`\\b(?:FROM|JOIN|INTO|UPDATE)\\s+"?(?:${tables.join('|')})"?(?![\\w-])`);
const asValue = (...entities: string[]) => new RegExp(`\\(\\s*(?:${entities.join('|')})\\b`);

const OWNERS: Owner[] = [
  {
    table: 'sms_outbox',
    patterns: [/\bsms_outbox\b/, /\bSmsOutboxEntity\b/],
    allowed: {
      'libs/database/src/outbox.repository.ts': 'the repository',
      [ENTITIES]: 'the entity',
      [KVKK]: KVKK_WHY,
    },
  },
  {
    table: 'contacts',
    patterns: [/\bFROM\s+contacts\b/, /\bINTO\s+contacts\b/, /\bUPDATE\s+contacts\b/, /\bContactEntity\b/],
    allowed: {
      'libs/database/src/contacts.repository.ts': 'the repository',
      [ENTITIES]: 'the entity',
      'libs/database/src/personal-data.repository.ts': 'the KVKK anonymisation: one statement with its erasure record',
      [ANALYSIS]: ANALYSIS_WHY,
      [ANALYSIS_FEED]: ANALYSIS_FEED_WHY,
    },
  },
  {
    table: 'tickets',
    patterns: [sql('tickets'), asValue('TicketEntity')],
    allowed: {
      'libs/database/src/tickets.repository.ts': 'the repository',
      [ENTITIES]: 'the entity',
      [KVKK]: KVKK_WHY,
      [ANALYSIS]: ANALYSIS_WHY,
      [ANALYSIS_FEED]: ANALYSIS_FEED_WHY,
      [LISTING]: LISTING_WHY,
      [SCOPE]: SCOPE_WHY,
      [PUBLIC]: PUBLIC_WHY,
      [PROJECTION]: PROJECTION_WHY,
      [LIVE]: LIVE_WHY,
      'libs/database/src/ticket-timeline.repository.ts': "a data subject's messages, texts and ratings name their ticket's number, in the same statement",
      'libs/database/src/outbox.repository.ts': "the outbox's claim joins the ticket's language and reachability",
      'libs/database/src/organisation.repository.ts': 'the least-loaded expert counts open tickets per expert',
      'libs/database/src/contacts.repository.ts': "a call about an open ticket counts on its list row, in the contact's own transaction",
    },
  },
  {
    table: 'ticket timeline (ticket_events, ticket_texts, inbound_messages, ticket_ratings, pii_reads)',
    patterns: [
      sql('ticket_events', 'ticket_texts', 'inbound_messages', 'ticket_ratings', 'pii_reads'),
      asValue('TicketEventEntity', 'TicketTextEntity', 'InboundMessageEntity', 'TicketRatingEntity', 'PiiReadEntity'),
    ],
    allowed: {
      'libs/database/src/ticket-timeline.repository.ts': 'the repository',
      [ENTITIES]: 'the entities',
      [KVKK]: KVKK_WHY,
      [PROJECTION]: PROJECTION_WHY,
      [LIVE]: LIVE_WHY,
      'libs/database/src/command-requests.repository.ts': "a request's texts are taken with its record, in one statement",
      'libs/database/src/attachments.repository.ts': "the orphan sweep: a PENDING attachment whose ATTACHED audit row exists was recorded after all (read only)",
      [LISTING]: LISTING_WHY,
      [SCOPE]: SCOPE_WHY,
      [PUBLIC]: PUBLIC_WHY,
    },
  },
  {
    table: 'ticket_followers',
    patterns: [sql('ticket_followers'), asValue('TicketFollowerEntity')],
    allowed: {
      'libs/database/src/tickets.repository.ts': 'the repository (following is part of the ticket)',
      [ENTITIES]: 'the entity',
      [LISTING]: LISTING_WHY,
      [SCOPE]: SCOPE_WHY,
      [LIVE]: LIVE_WHY,
    },
  },
  {
    table: 'staff (staff, deputies, staff_oidc_link_events)',
    patterns: [sql('staff', 'deputies', 'staff_oidc_link_events'), asValue('StaffEntity', 'DeputyEntity')],
    allowed: {
      'libs/database/src/staff.repository.ts': 'the repository (accounts, deputies in force, OIDC links)',
      'libs/database/src/deputies.repository.ts': "the deputies' administration (appoint, list, revoke)",
      'libs/database/src/organisation.repository.ts': 'the organisation: who holds which role where (experts, approvers, heads)',
      'libs/database/src/set-password.cli.ts': "the operator's password CLI (no Nest application around it)",
      'libs/database/src/ticket-timeline.repository.ts': 'a view names people: the names of the staff its timeline mentions, in the same statement',
      'libs/database/src/tickets.repository.ts': 'a tracking link re-send names who asked for it, read with the re-send in the same statement',
      'libs/database/src/attachments.repository.ts': "a ticket's attachments name the staff who added them, in the same statement",
      [LISTING]: LISTING_WHY,
      [ENTITIES]: 'the entities',
    },
  },
  {
    table: 'sessions (sessions, refresh_tokens)',
    patterns: [sql('sessions', 'refresh_tokens'), asValue('SessionEntity', 'RefreshTokenEntity')],
    allowed: {
      'libs/database/src/sessions.repository.ts': 'the repository',
      'libs/database/src/staff.repository.ts': "the account predicate: an access token's session must be live, read with the account",
      [ENTITIES]: 'the entities',
    },
  },
  {
    table: 'command_requests',
    patterns: [sql('command_requests'), asValue('CommandRequestEntity')],
    allowed: {
      'libs/database/src/command-requests.repository.ts': 'the repository',
      [ENTITIES]: 'the entity',
      [KVKK]: KVKK_WHY,
    },
  },
  {
    table: 'organisation (departments, categories, institutions, referral_institutions, branches)',
    patterns: [
      sql('departments', 'categories', 'institutions', 'referral_institutions', 'branches'),
      asValue('DepartmentEntity', 'CategoryEntity', 'InstitutionEntity', 'ReferralInstitutionEntity', 'BranchEntity'),
    ],
    allowed: {
      'libs/database/src/organisation.repository.ts': 'the repository',
      'libs/database/src/staff.repository.ts': "a profile names its department and branch (one statement with the account)",
      [ENTITIES]: 'the entities',
      [ANALYSIS]: ANALYSIS_WHY,
      [PUBLIC]: PUBLIC_WHY,
    },
  },
  {
    table: 'api_clients',
    patterns: [sql('api_clients'), asValue('ApiClientEntity')],
    allowed: {
      'libs/database/src/api-clients.repository.ts': 'the repository',
      [ENTITIES]: 'the entity',
    },
  },
  {
    table: 'intake_requests',
    patterns: [sql('intake_requests')],
    allowed: {
      'libs/database/src/intake-requests.repository.ts': 'the repository',
    },
  },
  {
    table: 'tracking_link_resends',
    patterns: [sql('tracking_link_resends')],
    allowed: {
      'libs/database/src/tickets.repository.ts': "the repository (a re-send of the ticket's tracking link is part of the ticket)",
    },
  },
  {
    table: 'closure_checks',
    patterns: [sql('closure_checks'), asValue('ClosureCheckEntity')],
    allowed: {
      'libs/database/src/ticket-timeline.repository.ts': 'the repository (asked and answered with the rating, on the timeline)',
      'libs/database/src/outbox.repository.ts': "the closure sweep's due tickets: not asked yet, or asked with its SMS still waiting in the outbox, in one statement",
      [ENTITIES]: 'the entity',
    },
  },
  {
    table: 'data_erasures',
    patterns: [sql('data_erasures')],
    allowed: {
      [KVKK]: 'the repository: each erasure is recorded by the statement that anonymises',
    },
  },
  {
    table: 'contact_days',
    patterns: [sql('contact_days')],
    allowed: {
      // No repository: a trigger on contacts writes it (migration), and only the figures read it.
      [ANALYSIS]: ANALYSIS_WHY,
    },
  },
  {
    table: 'admin_audit',
    patterns: [sql('admin_audit')],
    allowed: {
      'libs/database/src/deputies.repository.ts': "the repository: an administrator's change and its audit row, in one transaction",
    },
  },
  {
    table: 'sms_rate_buckets',
    patterns: [sql('sms_rate_buckets')],
    allowed: {
      'libs/database/src/sms-rate-buckets.repository.ts': 'the repository (the pacing that uses it: activities/send-rate-limiter.ts)',
    },
  },
  {
    table: 'attachments',
    patterns: [sql('attachments'), asValue('AttachmentEntity')],
    allowed: {
      'libs/database/src/attachments.repository.ts': 'the repository',
      [ENTITIES]: 'the entity',
      [PUBLIC]: "Open311's media_url: the id of the first photo the citizen sent (kind CITIZEN, ATTACHED), in the same statement",
      [KVKK]: "the KVKK anonymisation: a ticket's attachments become REMOVED in the statement that records the erasure",
    },
  },
  {
    table: 'rate_limit_counters',
    patterns: [sql('rate_limit_counters')],
    allowed: {
      'libs/database/src/rate-limit-counters.repository.ts': 'the repository',
    },
  },
];

/**
 * apps/ reaches PostgreSQL only through libs/database (issue 24): no SQL text, query builder,
 * transaction, TypeORM or pg value import of its own. The CLIs build a data source with
 * libs/database's createDataSource and hand it to repositories, which none of these names.
 */
const APP_DATA_ACCESS: RegExp[] = [
  /\.(?:getRepository|createQueryBuilder|transaction)\(/,
  // SQL text handed to a query call (a Temporal Query is called with its definition, never a string).
  /\.query\(\s*[`'"]/,
  /\b(?:manager|dataSource)\.\w/,
  /^import\s+(?!type\b)[^;]*from\s+'(?:typeorm|@nestjs\/typeorm|pg)'/m,
];
const APP_DATA_ACCESS_ALLOWED: Record<string, string> = {
  'apps/api/src/analysis/': ANALYSIS_WHY,
  'apps/api/src/health/health.service.ts': "`SELECT 1` reads no table: whether PostgreSQL answers through the API's pool is the health check's whole purpose",
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.(spec|test)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const files = TREES.flatMap((tree) => sourceFiles(join(ROOT, tree))).map((path) => ({ path: relative(ROOT, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }));

describe('table owners', () => {
  it('reads a source tree (the walk finds the repositories)', () => {
    expect(files.map((f) => f.path)).toEqual(
      expect.arrayContaining(['libs/database/src/outbox.repository.ts', 'libs/database/src/contacts.repository.ts', 'libs/database/src/tickets.repository.ts', 'libs/database/src/staff.repository.ts']),
    );
  });

  describe('data access from apps/', () => {
    const isAllowed = (path: string) => Object.keys(APP_DATA_ACCESS_ALLOWED).some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry));
    const accesses = (text: string) => APP_DATA_ACCESS.some((p) => p.test(text));

    it('goes through a libs/database repository, except where allowed', () => {
      expect(files.filter((f) => f.path.startsWith('apps/') && !isAllowed(f.path) && accesses(f.text)).map((f) => f.path)).toEqual([]);
    });

    it('allows only files that still access the database themselves (a stale exception fails)', () => {
      const stale = Object.keys(APP_DATA_ACCESS_ALLOWED).filter((entry) =>
        entry.endsWith('/') ? !files.some((f) => f.path.startsWith(entry) && accesses(f.text)) : !accesses(files.find((f) => f.path === entry)?.text ?? ''),
      );
      expect(stale).toEqual([]);
    });

    it('sees the access it forbids (the patterns match what was moved out)', () => {
      const moved = [
        "const rows = await this.dataSource.query(`SELECT 1 FROM gone`, []);",
        'return this.dataSource.getRepository(ApiClientEntity).findOneBy({ id });',
        "const row = await repo.createQueryBuilder('c').getOne();",
        'await this.db.transaction(async (m) => m.insert(X, row));',
        "await m.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [1, id]);",
        "import { DataSource } from 'typeorm';",
        "import { Client } from 'pg';",
      ];
      expect(moved.filter((code) => !accesses(code))).toEqual([]);
      const fine = ["import type { EntityManager } from 'typeorm';", 'await this.client.workflow.getHandle(id).query(getTicketQuery);', 'await this.contacts.insert(fields, manager);'];
      expect(fine.filter(accesses)).toEqual([]);
    });
  });

  describe.each(OWNERS)('$table', ({ patterns, allowed }) => {
    const isAllowed = (path: string) => Object.keys(allowed).some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry));

    it('is named only by its repository and the allowed exceptions', () => {
      const offenders = files.filter((f) => !isAllowed(f.path) && patterns.some((p) => p.test(f.text))).map((f) => f.path);
      expect(offenders).toEqual([]);
    });

    it('allows only files that name it (a stale exception fails)', () => {
      const stale = Object.keys(allowed).filter((entry) => entry !== ENTITIES && !entry.endsWith('/') && !patterns.some((p) => p.test(files.find((f) => f.path === entry)?.text ?? '')));
      expect(stale).toEqual([]);
    });

    it('allows only files that exist', () => {
      expect(Object.keys(allowed).filter((entry) => !existsSync(join(ROOT, entry)))).toEqual([]);
    });
  });
});
