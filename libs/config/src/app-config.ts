import { randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { parseDuration } from './duration';

/**
 * The one place that reads process.env. Everything is validated once at boot; a bad value
 * fails fast with a message naming the variable. Every variable is listed in README.md.
 */
export interface AppConfig {
  port: number;
  /** Interface the API binds to (HOST, default 127.0.0.1: loopback only; containers set 0.0.0.0). */
  host: string;
  /** Base of links sent to citizens (tracking page). */
  publicBaseUrl: string;
  /** The application role's connection (API, worker, CLIs). */
  databaseUrl: string;
  /** The owner role's connection, for migrations (MIGRATION_DATABASE_URL; default DATABASE_URL, a one-role setup). */
  migrationDatabaseUrl: string;
  databaseLogging: boolean;
  databasePoolSize: number;
  /**
   * Limits PostgreSQL applies to the application's own connections (not to migrations), in ms; 0 = none.
   * statementTimeoutMs: one statement at most this long (DATABASE_STATEMENT_TIMEOUT, default 15s);
   * idleInTransactionTimeoutMs: a transaction left idle this long is ended (DATABASE_IDLE_IN_TRANSACTION_TIMEOUT, default 30s).
   */
  databaseTimeouts: { statementTimeoutMs: number; idleInTransactionTimeoutMs: number };
  /** The migrate CLI also upserts the demo organisation (institutions, departments, staff with the demo password, categories, a deputy). */
  seedDemo: boolean;
  /**
   * uiUrl: the Temporal Web UI auditors and admins are linked to (TEMPORAL_UI_URL), or null.
   * commandWaitMs: how long the API waits for a ticket's workflow to answer a command (COMMAND_WAIT);
   * past it the caller gets 503 with the outcome unknown, settled by resending with the same X-Request-Id.
   */
  temporal: {
    address: string;
    namespace: string;
    taskQueue: string;
    uiUrl: string | null;
    commandWaitMs: number;
    /**
     * Whether new tickets keep their custom search attributes current in Temporal's visibility
     * store (TEMPORAL_SEARCH_ATTRIBUTES=live) or carry none (off, the default): every upsert is a
     * history event and a visibility write per state change, about a sixth of a lifecycle's CPU.
     */
    searchAttributes: TicketSearchAttributesMode;
  };
  /** Prebuilt workflow bundle for production; unset = bundle workflows/ from source at start. */
  workflowBundlePath: string | null;
  /** Worker: how many workflows it keeps in its sticky cache (WORKER_MAX_CACHED_WORKFLOWS); null = the SDK's default, sized from the heap. */
  workerMaxCachedWorkflows: number | null;
  /**
   * Citizens' tracking links: the key their tokens are derived and hashed with, how long they work after closing,
   * and how long a re-send by the center (POST /tickets/:number/resend-link) answers for the next ones instead of texting again (LINK_RESEND_WINDOW).
   */
  tracking: { tokenSecret: string; ttlAfterCloseMs: number; linkResendWindowMs: number };
  /**
   * Intake limits (POST /tickets): anonymous requests per window per client network and per phone,
   * a platform user's (muhtar, tradesperson, council member) requests per window
   * (PLATFORM_INTAKE_RATE_LIMIT), acknowledgement SMS per phone and day (anonymous and platform intake).
   */
  intakeLimits: { perIp: number; perPhone: number; windowMs: number; ackSmsPerPhonePerDay: number; perPlatformUser: number };
  sms: {
    gateway: 'console' | 'twilio';
    twilio: {
      accountSid: string;
      authToken: string;
      from: string;
      whatsappFrom: string | null;
      apiBaseUrl: string | null;
      /** The public URL Twilio calls our webhooks at (TWILIO_WEBHOOK_BASE_URL, default PUBLIC_BASE_URL): signatures are checked against it, never against forwarded headers. */
      webhookBaseUrl: string;
      /** A pre-approved WhatsApp template (Content SID, HX…) for messages outside the 24-hour window; null = SMS fallback. */
      whatsappContentSid: string | null;
    } | null;
    /** Messages per second per sender, shared by every worker process through PostgreSQL (SMS_RATE_PER_SECOND). */
    ratePerSecond: number;
    /** How often the worker settles UNCERTAIN outbox rows by asking the provider (SMS_RECONCILE_INTERVAL); 0 = never. */
    reconcileIntervalMs: number;
    /** How long after resolution the citizen is asked "is it really fixed?" (CLOSURE_CHECK_AFTER); 0 = never. */
    closureCheckAfterMs: number;
    /** Messages (SMS and WhatsApp) per hour for the whole system, counted in PostgreSQL (SMS_HOURLY_BUDGET): past it acknowledgements are held (SKIPPED, SMS_BUDGET_EXCEEDED) and an alert is logged. */
    hourlyBudget: number;
  };
  ticket: {
    approvalLevelSlaMs: number;
    legalDeadlineMs: number;
    legalWarningMs: number;
    reopenWindowMs: number;
    slaThresholds: number[];
    /** History events after which a ticket workflow continues as new. */
    historyLimit: number;
    /** The "stuck" queue: at one approval level or with one expert longer than this (QUEUE_STUCK_AFTER). */
    stuckAfterMs: number;
  };
  /** `trustProxy`: Express's `trust proxy` (false, a hop count, or addresses/subnets), which decides the client IP. */
  http: { bodyLimit: string; logLevel: 'debug' | 'info' | 'warn' | 'error'; json: boolean; trustProxy: TrustProxy };
  /** How often the API re-starts workflows of tickets whose start failed. */
  intakeSweepIntervalMs: number;
  auth: AuthConfig;
  /** Open311 GeoReport v2 (apps/api/src/open311): the one jurisdiction, and reads a minute per IP without an API key. */
  open311: { jurisdictionId: string; anonymousReadsPerMinute: number };
  /** The console's live feed (GET /events): how often an idle stream gets a heartbeat (LIVE_HEARTBEAT_INTERVAL), and how many missed events a reconnect may replay before the client is told to refetch everything (LIVE_REPLAY_LIMIT). */
  live: { heartbeatMs: number; replayLimit: number };
  /**
   * The analysis center's store (apps/api/src/analysis/store): an embedded DuckDB per API process,
   * derived from PostgreSQL. `storePath` (ANALYSIS_STORE_PATH): its file, or `:memory:` (rebuilt at
   * every start); `feedIntervalMs` (ANALYSIS_FEED_INTERVAL): how often it takes in new audit rows;
   * `threads` (ANALYSIS_STORE_THREADS): DuckDB's worker threads per statement, 0 for its default (one
   * per core). 1 by default: a figure's statements already run side by side, and several users at
   * once keep every core busy, so splitting a statement across threads mostly adds coordination
   * (less CPU for the same answers: bench/analysis/RESULTS.md).
   */
  analysis: { storePath: string; feedIntervalMs: number; threads: number };
  /** KVKK (Law 6698): how long personal data is kept, and how often the retention job runs (a Temporal schedule). */
  retention: RetentionConfig;
  /** The S3-compatible attachment store (ATTACHMENT_S3_*); null when ATTACHMENT_S3_BUCKET is unset. */
  attachmentS3: AttachmentS3Config | null;
  /** The console's maps (GET /map): where their tiles come from. */
  map: MapConfig;
  attachments: AttachmentsConfig;
}

/** Where attachments are stored (ATTACHMENT_STORE) and the limits every way in applies (libs/attachments). */
export const ATTACHMENT_STORES = ['directory', 's3'] as const;
export type AttachmentStoreKind = (typeof ATTACHMENT_STORES)[number];

export interface AttachmentsConfig {
  /** `directory` (the embedded default) or `s3` (an S3-compatible object store). */
  store: AttachmentStoreKind;
  /** The directory store's folder (ATTACHMENT_DIR, default .data/attachments). */
  dir: string;
  /** One file at most this large as uploaded (ATTACHMENT_MAX_BYTES, default 15 MB): 413 past it. */
  maxBytes: number;
  /** Attachments per ticket (ATTACHMENT_MAX_PER_TICKET, default 20): 409 past it. */
  maxPerTicket: number;
  /** An image's width × height at most (ATTACHMENT_MAX_PIXELS, default 50 megapixels): a decompression bomb is refused before it is decoded. */
  maxPixels: number;
  /** How old a PENDING attachment (an upload whose command never finished) or a stored object with no row must be before the sweep removes it (ATTACHMENT_ORPHAN_AFTER, default 15m). */
  orphanAfterMs: number;
  /** How often the API sweeps orphans (ATTACHMENT_SWEEP_INTERVAL, default 5m); 0 = never. */
  sweepIntervalMs: number;
}

/** Mirrors S3StoreSettings (libs/attachments/src/s3-attachment.store.ts). */
export interface AttachmentS3Config {
  /** null = AWS's own endpoint for the region. */
  endpoint: string | null;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
  /** Create the bucket at start when it is missing (ATTACHMENT_S3_CREATE_BUCKET; default only with NODE_ENV=development or test: in production the object store's operator makes it). */
  createBucket: boolean;
}

/**
 * The raster tiles the staff console's maps show (Leaflet). OpenStreetMap's own servers by
 * default, whose usage policy wants the attribution shown and no bulk download; a city runs its
 * own tile server in production (docs/operations.md). The Content-Security-Policy's img-src names
 * exactly `tileOrigin`.
 */
export interface MapConfig {
  /** MAP_TILE_URL: an http(s) URL with {z}, {x} and {y} (no {s}: one host, the one the CSP names). */
  tileUrl: string;
  /** The tile host's origin (scheme, host, port) as the CSP's img-src names it. */
  tileOrigin: string;
  /** MAP_TILE_ATTRIBUTION: the credit shown on every map, as text. */
  attribution: string;
  /** MAP_TILE_ATTRIBUTION_URL: where the credit links to, or null for none. */
  attributionUrl: string | null;
  /** MAP_MAX_ZOOM: the deepest zoom the tile server serves (OpenStreetMap's: 19). */
  maxZoom: number;
}

export const DEFAULT_MAP_TILE_URL = 'https://tile.openstreetmap.org/{z}/{x}/{y}.png';

function loadMap(env: Env): MapConfig {
  const tileUrl = read(env, 'MAP_TILE_URL', DEFAULT_MAP_TILE_URL);
  let parsed: URL;
  try {
    parsed = new URL(tileUrl);
  } catch {
    throw new ConfigError('MAP_TILE_URL', `must be a URL, got "${tileUrl}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new ConfigError('MAP_TILE_URL', `must be an http(s) URL, got "${tileUrl}"`);
  if (tileUrl.includes('{s}')) throw new ConfigError('MAP_TILE_URL', `must name one host, without {s} (the Content-Security-Policy names exactly the tile host), got "${tileUrl}"`);
  for (const part of ['{z}', '{x}', '{y}']) {
    if (!tileUrl.includes(part)) throw new ConfigError('MAP_TILE_URL', `must contain {z}, {x} and {y}, got "${tileUrl}"`);
  }
  if (parsed.username || parsed.password) throw new ConfigError('MAP_TILE_URL', 'must not carry credentials (every browser would see them)');
  const attributionUrl = env.MAP_TILE_ATTRIBUTION_URL === 'none' ? null : url(env, 'MAP_TILE_ATTRIBUTION_URL', 'https://www.openstreetmap.org/copyright');
  return {
    tileUrl,
    tileOrigin: parsed.origin,
    attribution: read(env, 'MAP_TILE_ATTRIBUTION', '© OpenStreetMap contributors'),
    attributionUrl,
    maxZoom: int(env, 'MAP_MAX_ZOOM', 19, 1, 22),
  };
}

export interface RetentionConfig {
  /** A closed ticket's personal data (name, phone, address, free texts, SMS bodies) is anonymised this long after it closed (RETENTION_TICKET_PII, default 730d). */
  ticketPiiAfterCloseMs: number;
  /** A contact's caller number and note are anonymised this long after the call (RETENTION_CONTACTS, default 365d). */
  contactsMs: number;
  /** How often the retention schedule runs the job (RETENTION_JOB_INTERVAL, default 1d); 0 = no schedule is created. */
  jobIntervalMs: number;
}

/** Sign-in, tokens and the optional external OIDC issuer (apps/api/src/identity). */
export interface AuthConfig {
  /** HS256 key of Teksin's access tokens (AUTH_TOKEN_SECRET, at least 32 characters). */
  tokenSecret: string;
  /** True when no AUTH_TOKEN_SECRET was given (development/test only): a random one for this process. */
  tokenSecretGenerated: boolean;
  accessTokenTtlMs: number;
  refreshTokenTtlMs: number;
  /** A session (one sign-in) is refreshed at most this long after it began (SESSION_MAX_LIFETIME, default 12h); then its holder signs in again. */
  sessionMaxLifetimeMs: number;
  /**
   * Sign-in attempts that did not succeed, per window: from one client network (perIp, against
   * spraying) and for one username from one client network (perUsername); the second blocks for
   * the window, doubling with each block in a row up to maxLockoutMs (LOGIN_LOCKOUT_MAX).
   */
  loginRateLimit: { perIp: number; perUsername: number; windowMs: number; maxLockoutMs: number };
  /**
   * Tokens of an external identity provider, verified with its published keys; null = none. A
   * token names its staff row by its `iss` and `sub`, linked by an ADMIN (PUT /admin/staff/:id/oidc-link).
   */
  oidc: { issuer: string; jwksUrl: string; audience: string } | null;
}

/** NODE_ENV values in which AUTH_TOKEN_SECRET may be left out. */
const THROWAWAY_SECRET_ENVIRONMENTS = ['development', 'test'];
const MIN_SECRET_LENGTH = 32;
export type TrustProxy = false | number | string[];

/** TEMPORAL_SEARCH_ATTRIBUTES: the ticket workflows' custom search attributes kept current (live) or not set (off). */
export const TICKET_SEARCH_ATTRIBUTES_MODES = ['live', 'off'] as const;
export type TicketSearchAttributesMode = (typeof TICKET_SEARCH_ATTRIBUTES_MODES)[number];

export const APP_CONFIG = Symbol('APP_CONFIG');

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function read(env: Env, name: string, fallback?: string): string {
  const value = env[name];
  if (value !== undefined && value !== '') return value;
  if (fallback !== undefined) return fallback;
  throw new ConfigError(name, 'is required');
}

function int(env: Env, name: string, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const raw = read(env, name, String(fallback));
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer between ${min} and ${max}, got "${raw}"`);
  }
  return value;
}

function duration(env: Env, name: string, fallback: string): number {
  try {
    return parseDuration(read(env, name, fallback));
  } catch (error) {
    throw new ConfigError(name, (error as Error).message);
  }
}

/** Long enough for a command under load (p99 about 1 s at the machine's ceiling), short enough that nobody waits on a hung request. */
function commandWait(env: Env): number {
  const ms = duration(env, 'COMMAND_WAIT', '20s');
  if (ms < 1000 || ms > 300_000) throw new ConfigError('COMMAND_WAIT', `must be between 1s and 5m, got "${env.COMMAND_WAIT}"`);
  return ms;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const value = read(env, name, fallback);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${value}"`);
  }
  return value as T;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  return oneOf(env, name, ['true', 'false'] as const, fallback ? 'true' : 'false') === 'true';
}

/** NODE_ENV values in which TRACKING_TOKEN_SECRET may be left out (a fixed, public development key is used). */
const DEVELOPMENT_ENVIRONMENTS = ['development', 'test'];
/** Not a secret: API and worker must derive the same tokens, and links must survive a restart, so development gets a fixed key. */
export const DEVELOPMENT_TRACKING_SECRET = 'teksin-development-tracking-secret-not-for-production';
const MIN_TRACKING_SECRET_LENGTH = 32;

function trackingSecret(env: Env): string {
  const secret = env.TRACKING_TOKEN_SECRET ?? '';
  if (secret === '') {
    if (DEVELOPMENT_ENVIRONMENTS.includes(env.NODE_ENV ?? '')) return DEVELOPMENT_TRACKING_SECRET;
    throw new ConfigError('TRACKING_TOKEN_SECRET', `is required (at least ${MIN_TRACKING_SECRET_LENGTH} random characters, e.g. openssl rand -base64 48); only NODE_ENV=development or test may leave it out`);
  }
  if (secret.length < MIN_TRACKING_SECRET_LENGTH) throw new ConfigError('TRACKING_TOKEN_SECRET', `must be at least ${MIN_TRACKING_SECRET_LENGTH} characters, got ${secret.length}`);
  return secret;
}

/** "<a>,<b>": two whole numbers from 1 to 100000. */
function pair(env: Env, name: string, fallback: string, meaning: string): [number, number] {
  const raw = read(env, name, fallback);
  const values = raw.split(',').map((n) => Number(n.trim()));
  if (values.length !== 2 || values.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000)) {
    throw new ConfigError(name, `must be "${meaning}" (whole numbers from 1 to 100000), got "${raw}"`);
  }
  return [values[0], values[1]];
}

const TRUST_PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** `false`, a number of proxy hops, or a comma-separated list of addresses, CIDR subnets and Express's names. */
function trustProxy(env: Env): TrustProxy {
  const raw = read(env, 'TRUST_PROXY', 'false');
  if (raw === 'false') return false;
  if (/^\d+$/.test(raw)) return int(env, 'TRUST_PROXY', 0, 0, 10);
  const entries = raw.split(',').map((entry) => entry.trim());
  const valid = (entry: string) => {
    const [address, bits, extra] = entry.split('/');
    return TRUST_PROXY_NAMES.includes(entry) || (extra === undefined && isIP(address) !== 0 && (bits === undefined || /^\d{1,3}$/.test(bits)));
  };
  if (entries.some((entry) => !valid(entry))) {
    throw new ConfigError('TRUST_PROXY', `must be false, a hop count, or addresses/subnets (e.g. 10.0.0.0/8, loopback), got "${raw}"`);
  }
  return entries;
}

function url(env: Env, name: string, fallback?: string): string {
  const value = read(env, name, fallback);
  try {
    new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

function positiveDuration(env: Env, name: string, fallback: string, maxMs: number): number {
  const ms = duration(env, name, fallback);
  if (ms < 1000 || ms > maxMs) throw new ConfigError(name, `must be between 1s and ${maxMs / 3_600_000}h, got "${env[name]}"`);
  return ms;
}

/** 0 (no limit) or from 100 ms to 1 h: a limit PostgreSQL applies to the application's connections. */
function databaseTimeout(env: Env, name: string, fallback: string): number {
  const ms = duration(env, name, fallback);
  if (ms !== 0 && (ms < 100 || ms > 3_600_000)) throw new ConfigError(name, `must be 0 (no limit) or between 100ms and 1h, got "${env[name]}"`);
  return ms;
}

function loadAuth(env: Env): AuthConfig {
  let tokenSecret = env.AUTH_TOKEN_SECRET ?? '';
  const generated = tokenSecret === '';
  if (generated) {
    if (!THROWAWAY_SECRET_ENVIRONMENTS.includes(env.NODE_ENV ?? '')) {
      throw new ConfigError('AUTH_TOKEN_SECRET', `is required (at least ${MIN_SECRET_LENGTH} random characters, e.g. openssl rand -base64 48); only NODE_ENV=development or test makes a throwaway one`);
    }
    tokenSecret = randomBytes(48).toString('base64url');
  } else if (tokenSecret.length < MIN_SECRET_LENGTH) {
    throw new ConfigError('AUTH_TOKEN_SECRET', `must be at least ${MIN_SECRET_LENGTH} characters, got ${tokenSecret.length}`);
  }

  const limits = read(env, 'LOGIN_RATE_LIMIT', '20,5').split(',').map((n) => Number(n.trim()));
  if (limits.length !== 2 || limits.some((n) => !Number.isInteger(n) || n < 1 || n > 100_000)) {
    throw new ConfigError('LOGIN_RATE_LIMIT', `must be "<per IP>,<per username>" (whole numbers from 1 to 100000), got "${env.LOGIN_RATE_LIMIT}"`);
  }

  const oidcNames = ['OIDC_ISSUER', 'OIDC_JWKS_URL', 'OIDC_AUDIENCE'] as const;
  const oidcSet = oidcNames.filter((name) => env[name]);
  if (oidcSet.length > 0 && oidcSet.length < oidcNames.length) {
    const missing = oidcNames.find((name) => !env[name])!;
    throw new ConfigError(missing, `is required when ${oidcSet.join(' and ')} ${oidcSet.length > 1 ? 'are' : 'is'} set (an external issuer needs OIDC_ISSUER, OIDC_JWKS_URL and OIDC_AUDIENCE)`);
  }
  const jwksUrl = oidcSet.length ? url(env, 'OIDC_JWKS_URL') : null;
  const jwksProtocol = jwksUrl ? new URL(jwksUrl).protocol : null;
  if (jwksUrl && jwksProtocol !== 'http:' && jwksProtocol !== 'https:') throw new ConfigError('OIDC_JWKS_URL', `must be an http(s) URL, got "${jwksUrl}"`);
  // Keys fetched over plain http can be swapped on the way, and then any token is "signed".
  if (jwksUrl && jwksProtocol !== 'https:' && !DEVELOPMENT_ENVIRONMENTS.includes(env.NODE_ENV ?? '')) {
    throw new ConfigError('OIDC_JWKS_URL', `must be an https URL (only NODE_ENV=development or test may fetch keys over http), got "${jwksUrl}"`);
  }
  // Removed: a claim such as preferred_username can often be changed by the user at the identity
  // provider, so it must never pick the account. Accounts are linked by (iss, sub) instead.
  if (env.OIDC_STAFF_CLAIM) {
    throw new ConfigError('OIDC_STAFF_CLAIM', 'is no longer supported: a token names its account by its issuer and subject (iss, sub), which an ADMIN links to the staff row (PUT /admin/staff/{id}/oidc-link); remove the variable');
  }

  return {
    tokenSecret,
    tokenSecretGenerated: generated,
    accessTokenTtlMs: positiveDuration(env, 'ACCESS_TOKEN_TTL', '15m', 24 * 3_600_000),
    refreshTokenTtlMs: positiveDuration(env, 'REFRESH_TOKEN_TTL', '12h', 30 * 24 * 3_600_000),
    sessionMaxLifetimeMs: positiveDuration(env, 'SESSION_MAX_LIFETIME', '12h', 30 * 24 * 3_600_000),
    loginRateLimit: loginRateLimit(env, limits),
    oidc: jwksUrl ? { issuer: read(env, 'OIDC_ISSUER'), jwksUrl, audience: read(env, 'OIDC_AUDIENCE') } : null,
  };
}

function loginRateLimit(env: Env, [perIp, perUsername]: number[]): AuthConfig['loginRateLimit'] {
  const windowMs = positiveDuration(env, 'LOGIN_RATE_WINDOW', '1m', 24 * 3_600_000);
  const maxLockoutMs = positiveDuration(env, 'LOGIN_LOCKOUT_MAX', '1h', 7 * 24 * 3_600_000);
  if (maxLockoutMs < windowMs) throw new ConfigError('LOGIN_LOCKOUT_MAX', `must be at least LOGIN_RATE_WINDOW (the first lock-out), got "${env.LOGIN_LOCKOUT_MAX}"`);
  return { perIp, perUsername, windowMs, maxLockoutMs };
}

function loadRetention(env: Env): RetentionConfig {
  const atLeastADay = (name: string, fallback: string) => {
    const ms = duration(env, name, fallback);
    if (ms < 86_400_000) throw new ConfigError(name, `must be at least 1d (personal data kept a day at least), got "${env[name]}"`);
    return ms;
  };
  const jobIntervalMs = duration(env, 'RETENTION_JOB_INTERVAL', '1d');
  if (jobIntervalMs !== 0 && jobIntervalMs < 60_000) throw new ConfigError('RETENTION_JOB_INTERVAL', `must be 0 (off) or at least 1m, got "${env.RETENTION_JOB_INTERVAL}"`);
  return { ticketPiiAfterCloseMs: atLeastADay('RETENTION_TICKET_PII', '730d'), contactsMs: atLeastADay('RETENTION_CONTACTS', '365d'), jobIntervalMs };
}

/** ATTACHMENT_S3_*: validated only when a bucket is named; then the key pair is required. */
function loadAttachmentS3(env: Env): AttachmentS3Config | null {
  const names = ['ATTACHMENT_S3_ENDPOINT', 'ATTACHMENT_S3_REGION', 'ATTACHMENT_S3_ACCESS_KEY_ID', 'ATTACHMENT_S3_SECRET_ACCESS_KEY', 'ATTACHMENT_S3_FORCE_PATH_STYLE', 'ATTACHMENT_S3_CREATE_BUCKET'];
  if (!env.ATTACHMENT_S3_BUCKET) {
    if (env.ATTACHMENT_STORE === 's3') throw new ConfigError('ATTACHMENT_S3_BUCKET', 'is required when ATTACHMENT_STORE=s3 (with ATTACHMENT_S3_ACCESS_KEY_ID and ATTACHMENT_S3_SECRET_ACCESS_KEY, and ATTACHMENT_S3_ENDPOINT unless the store is AWS S3)');
    const stray = names.find((name) => env[name]);
    if (stray) throw new ConfigError('ATTACHMENT_S3_BUCKET', `is required when ${stray} is set (the S3 attachment store needs its bucket)`);
    return null;
  }
  const bucket = read(env, 'ATTACHMENT_S3_BUCKET');
  // S3's bucket naming rules (3–63 lower-case letters, digits, dots and dashes): a bad name is refused at boot, not at the first upload.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) throw new ConfigError('ATTACHMENT_S3_BUCKET', `must be a bucket name (3-63 lower-case letters, digits, dots and dashes), got "${bucket}"`);
  const endpoint = env.ATTACHMENT_S3_ENDPOINT ? url(env, 'ATTACHMENT_S3_ENDPOINT') : null;
  if (endpoint && !/^https?:$/.test(new URL(endpoint).protocol)) throw new ConfigError('ATTACHMENT_S3_ENDPOINT', `must be an http(s) URL, got "${endpoint}"`);
  const need = (name: string) => {
    const value = env[name];
    if (!value) throw new ConfigError(name, 'is required when ATTACHMENT_S3_BUCKET is set');
    return value;
  };
  return {
    endpoint,
    region: read(env, 'ATTACHMENT_S3_REGION', 'us-east-1'),
    bucket,
    accessKeyId: need('ATTACHMENT_S3_ACCESS_KEY_ID'),
    secretAccessKey: need('ATTACHMENT_S3_SECRET_ACCESS_KEY'),
    // Self-hosted stores (SeaweedFS, MinIO) want path-style URLs; AWS wants virtual-hosted ones.
    forcePathStyle: bool(env, 'ATTACHMENT_S3_FORCE_PATH_STYLE', endpoint !== null),
    createBucket: bool(env, 'ATTACHMENT_S3_CREATE_BUCKET', DEVELOPMENT_ENVIRONMENTS.includes(env.NODE_ENV ?? '')),
  };
}

function contentSid(env: Env): string | null {
  const value = env.TWILIO_WHATSAPP_CONTENT_SID;
  if (!value) return null;
  if (!/^HX[0-9a-fA-F]{32}$/.test(value)) throw new ConfigError('TWILIO_WHATSAPP_CONTENT_SID', `must be a Content SID (HX and 32 hex digits), got "${value}"`);
  return value;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const port = int(env, 'PORT', 3000, 0, 65535);
  const gateway = oneOf(env, 'SMS_GATEWAY', ['console', 'twilio'] as const, 'console');
  const thresholds = read(env, 'SLA_REMINDER_PERCENTS', '50,75,90')
    .split(',')
    .map((p) => Number(p.trim()));
  if (thresholds.some((p) => !Number.isFinite(p) || p <= 0 || p >= 100)) {
    throw new ConfigError('SLA_REMINDER_PERCENTS', 'must be comma-separated percentages between 0 and 100');
  }
  const intakeRate = pair(env, 'INTAKE_RATE_LIMIT', '60,5', '<per IP>,<per phone>');
  const intakeWindowMs = duration(env, 'INTAKE_RATE_WINDOW', '1h');
  if (intakeWindowMs < 1000) throw new ConfigError('INTAKE_RATE_WINDOW', `must be at least 1s, got "${env.INTAKE_RATE_WINDOW}"`);
  return {
    port,
    publicBaseUrl: url(env, 'PUBLIC_BASE_URL', `http://localhost:${port}`),
    // Loopback unless told otherwise: a development machine with the demo accounts (published
    // password) must not answer the whole network. Containers set HOST=0.0.0.0.
    host: read(env, 'HOST', '127.0.0.1'),
    databaseUrl: read(env, 'DATABASE_URL'),
    migrationDatabaseUrl: read(env, 'MIGRATION_DATABASE_URL', read(env, 'DATABASE_URL')),
    databaseLogging: bool(env, 'DATABASE_LOGGING', false),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 500),
    databaseTimeouts: {
      statementTimeoutMs: databaseTimeout(env, 'DATABASE_STATEMENT_TIMEOUT', '15s'),
      idleInTransactionTimeoutMs: databaseTimeout(env, 'DATABASE_IDLE_IN_TRANSACTION_TIMEOUT', '30s'),
    },
    seedDemo: bool(env, 'SEED_DEMO', false),
    temporal: {
      address: read(env, 'TEMPORAL_ADDRESS', '127.0.0.1:7233'),
      namespace: read(env, 'TEMPORAL_NAMESPACE', 'default'),
      taskQueue: read(env, 'TEMPORAL_TASK_QUEUE', 'teksin-tickets'),
      uiUrl: env.TEMPORAL_UI_URL ? url(env, 'TEMPORAL_UI_URL') : null,
      commandWaitMs: commandWait(env),
      searchAttributes: oneOf(env, 'TEMPORAL_SEARCH_ATTRIBUTES', TICKET_SEARCH_ATTRIBUTES_MODES, 'off'),
    },
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH || null,
    workerMaxCachedWorkflows: env.WORKER_MAX_CACHED_WORKFLOWS ? int(env, 'WORKER_MAX_CACHED_WORKFLOWS', 0, 1, 1_000_000) : null,
    tracking: {
      tokenSecret: trackingSecret(env),
      ttlAfterCloseMs: duration(env, 'TRACKING_TOKEN_TTL_AFTER_CLOSE', '90d'),
      linkResendWindowMs: duration(env, 'LINK_RESEND_WINDOW', '2m'),
    },
    intakeLimits: {
      perIp: intakeRate[0],
      perPhone: intakeRate[1],
      windowMs: intakeWindowMs,
      ackSmsPerPhonePerDay: int(env, 'ACK_SMS_DAILY_LIMIT', 3, 0, 100_000),
      perPlatformUser: int(env, 'PLATFORM_INTAKE_RATE_LIMIT', 30, 1, 100_000),
    },
    sms: {
      gateway,
      twilio:
        gateway === 'twilio'
          ? {
              accountSid: read(env, 'TWILIO_ACCOUNT_SID'),
              authToken: read(env, 'TWILIO_AUTH_TOKEN'),
              from: read(env, 'TWILIO_FROM'),
              whatsappFrom: env.TWILIO_WHATSAPP_FROM || null,
              apiBaseUrl: env.TWILIO_API_BASE_URL ? url(env, 'TWILIO_API_BASE_URL') : null,
              webhookBaseUrl: url(env, 'TWILIO_WEBHOOK_BASE_URL', url(env, 'PUBLIC_BASE_URL', `http://localhost:${port}`)),
              whatsappContentSid: contentSid(env),
            }
          : null,
      ratePerSecond: int(env, 'SMS_RATE_PER_SECOND', 10, 1, 1000),
      reconcileIntervalMs: duration(env, 'SMS_RECONCILE_INTERVAL', '1m'),
      closureCheckAfterMs: duration(env, 'CLOSURE_CHECK_AFTER', '3d'),
      hourlyBudget: int(env, 'SMS_HOURLY_BUDGET', 5000, 1, 10_000_000),
    },
    ticket: {
      approvalLevelSlaMs: duration(env, 'APPROVAL_LEVEL_SLA', '2d'),
      legalDeadlineMs: duration(env, 'LEGAL_ANSWER_DEADLINE', '30d'),
      legalWarningMs: duration(env, 'LEGAL_DEADLINE_WARNING', '5d'),
      reopenWindowMs: duration(env, 'REOPEN_WINDOW', '15d'),
      slaThresholds: thresholds,
      historyLimit: int(env, 'TICKET_HISTORY_LIMIT', 8000, 50, 50_000),
      stuckAfterMs: duration(env, 'QUEUE_STUCK_AFTER', '3d'),
    },
    http: {
      bodyLimit: read(env, 'HTTP_BODY_LIMIT', '64kb'),
      logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
      json: oneOf(env, 'LOG_FORMAT', ['text', 'json'] as const, 'text') === 'json',
      trustProxy: trustProxy(env),
    },
    intakeSweepIntervalMs: duration(env, 'INTAKE_SWEEP_INTERVAL', '30s'),
    retention: loadRetention(env),
    auth: loadAuth(env),
    open311: {
      jurisdictionId: read(env, 'OPEN311_JURISDICTION_ID', new URL(url(env, 'PUBLIC_BASE_URL', `http://localhost:${port}`)).hostname),
      anonymousReadsPerMinute: int(env, 'OPEN311_ANONYMOUS_RATE_LIMIT', 60, 1, 1_000_000),
    },
    live: {
      heartbeatMs: positiveDuration(env, 'LIVE_HEARTBEAT_INTERVAL', '20s', 3_600_000),
      replayLimit: int(env, 'LIVE_REPLAY_LIMIT', 1000, 1, 100_000),
    },
    attachments: {
      store: oneOf(env, 'ATTACHMENT_STORE', ATTACHMENT_STORES, 'directory'),
      dir: read(env, 'ATTACHMENT_DIR', '.data/attachments'),
      maxBytes: int(env, 'ATTACHMENT_MAX_BYTES', 15 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
      maxPerTicket: int(env, 'ATTACHMENT_MAX_PER_TICKET', 20, 1, 10_000),
      maxPixels: int(env, 'ATTACHMENT_MAX_PIXELS', 50_000_000, 1_000_000, 1_000_000_000),
      orphanAfterMs: positiveDuration(env, 'ATTACHMENT_ORPHAN_AFTER', '15m', 7 * 24 * 3_600_000),
      sweepIntervalMs: duration(env, 'ATTACHMENT_SWEEP_INTERVAL', '5m'),
    },
    analysis: {
      storePath: read(env, 'ANALYSIS_STORE_PATH', ':memory:'),
      feedIntervalMs: positiveDuration(env, 'ANALYSIS_FEED_INTERVAL', '1s', 60_000),
      threads: int(env, 'ANALYSIS_STORE_THREADS', 1, 0, 256),
    },
    attachmentS3: loadAttachmentS3(env),
    map: loadMap(env),
  };
}
