import { ConfigError, DEVELOPMENT_TRACKING_SECRET, loadConfig } from './app-config';
import { parseDuration } from './duration';

const SECRET = 'a-secret-of-at-least-thirty-two-characters';
const base = { DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/teksin', AUTH_TOKEN_SECRET: SECRET, TRACKING_TOKEN_SECRET: SECRET };

describe('loadConfig', () => {
  it('gives the documented defaults', () => {
    const config = loadConfig(base);
    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicBaseUrl: 'http://localhost:3000',
      databasePoolSize: 10,
      databaseTimeouts: { statementTimeoutMs: 15_000, idleInTransactionTimeoutMs: 30_000 },
      seedDemo: false,
      temporal: { address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'teksin-tickets', uiUrl: null, commandWaitMs: 20_000 },
      workflowBundlePath: null,
      workerMaxCachedWorkflows: null,
      sms: { gateway: 'console', twilio: null },
      http: { bodyLimit: '64kb', logLevel: 'info', json: false, trustProxy: false },
      intakeSweepIntervalMs: 30_000,
      tracking: { tokenSecret: SECRET, ttlAfterCloseMs: 90 * 86_400_000 },
      intakeLimits: { perIp: 60, perPhone: 5, windowMs: 3_600_000, ackSmsPerPhonePerDay: 3 },
    });
    expect(config.ticket).toEqual({
      approvalLevelSlaMs: 2 * 86_400_000,
      legalDeadlineMs: 30 * 86_400_000,
      legalWarningMs: 5 * 86_400_000,
      reopenWindowMs: 15 * 86_400_000,
      slaThresholds: [50, 75, 90],
      historyLimit: 8000,
      stuckAfterMs: 3 * 86_400_000,
    });
  });

  it('migrates through MIGRATION_DATABASE_URL (the owner role) when given, else through DATABASE_URL', () => {
    expect(loadConfig(base).migrationDatabaseUrl).toBe(base.DATABASE_URL);
    expect(loadConfig({ ...base, MIGRATION_DATABASE_URL: 'postgres://owner:p@127.0.0.1:5432/teksin' })).toMatchObject({
      databaseUrl: base.DATABASE_URL,
      migrationDatabaseUrl: 'postgres://owner:p@127.0.0.1:5432/teksin',
    });
  });

  it('keeps personal data 2 years after close and contacts 1 year by default (KVKK), and refuses less than a day', () => {
    expect(loadConfig(base).retention).toEqual({ ticketPiiAfterCloseMs: 730 * 86_400_000, contactsMs: 365 * 86_400_000, jobIntervalMs: 86_400_000 });
    expect(loadConfig({ ...base, RETENTION_TICKET_PII: '400d', RETENTION_JOB_INTERVAL: '0' }).retention).toMatchObject({ ticketPiiAfterCloseMs: 400 * 86_400_000, jobIntervalMs: 0 });
    expect(() => loadConfig({ ...base, RETENTION_TICKET_PII: '2h' })).toThrow(/RETENTION_TICKET_PII must be at least 1d/);
    expect(() => loadConfig({ ...base, RETENTION_JOB_INTERVAL: '5s' })).toThrow(/RETENTION_JOB_INTERVAL must be 0 \(off\) or at least 1m/);
  });

  it('gives the documented auth defaults', () => {
    expect(loadConfig(base).auth).toEqual({
      tokenSecret: SECRET,
      tokenSecretGenerated: false,
      accessTokenTtlMs: 15 * 60_000,
      refreshTokenTtlMs: 12 * 3_600_000,
      sessionMaxLifetimeMs: 12 * 3_600_000,
      loginRateLimit: { perIp: 20, perUsername: 5, windowMs: 60_000, maxLockoutMs: 3_600_000 },
      oidc: null,
    });
  });

  it('requires AUTH_TOKEN_SECRET unless NODE_ENV is development or test, where it makes a throwaway one', () => {
    const { AUTH_TOKEN_SECRET: _, ...noSecret } = base;
    expect(() => loadConfig(noSecret)).toThrow('Invalid configuration: AUTH_TOKEN_SECRET is required');
    expect(() => loadConfig({ ...noSecret, NODE_ENV: 'production' })).toThrow('AUTH_TOKEN_SECRET is required');
    for (const NODE_ENV of ['development', 'test']) {
      const a = loadConfig({ ...noSecret, NODE_ENV }).auth;
      const b = loadConfig({ ...noSecret, NODE_ENV }).auth;
      expect(a.tokenSecretGenerated).toBe(true);
      expect(a.tokenSecret.length).toBeGreaterThanOrEqual(32);
      expect(a.tokenSecret).not.toBe(b.tokenSecret);
    }
  });

  it('reads the OIDC issuer only as a whole', () => {
    const oidc = { OIDC_ISSUER: 'https://sso.example.gov.tr/realms/mersin', OIDC_JWKS_URL: 'https://sso.example.gov.tr/realms/mersin/certs/', OIDC_AUDIENCE: 'teksin' };
    expect(loadConfig({ ...base, ...oidc }).auth.oidc).toEqual({
      issuer: oidc.OIDC_ISSUER,
      jwksUrl: 'https://sso.example.gov.tr/realms/mersin/certs',
      audience: 'teksin',
    });
    expect(() => loadConfig({ ...base, OIDC_ISSUER: oidc.OIDC_ISSUER })).toThrow('OIDC_JWKS_URL is required when OIDC_ISSUER is set');
    expect(() => loadConfig({ ...base, OIDC_ISSUER: oidc.OIDC_ISSUER, OIDC_JWKS_URL: oidc.OIDC_JWKS_URL })).toThrow('OIDC_AUDIENCE is required');
  });

  it('item 3: the OIDC account is never mapped by a username claim, and its keys are fetched over https outside development', () => {
    const oidc = { OIDC_ISSUER: 'https://sso.example.gov.tr/realms/mersin', OIDC_JWKS_URL: 'https://sso.example.gov.tr/realms/mersin/certs', OIDC_AUDIENCE: 'teksin' };
    expect(loadConfig({ ...base, ...oidc }).auth.oidc).not.toHaveProperty('staffClaim');
    expect(() => loadConfig({ ...base, ...oidc, OIDC_STAFF_CLAIM: 'preferred_username' })).toThrow(/OIDC_STAFF_CLAIM is no longer supported: .*\(iss, sub\)/);
    const plain = { ...oidc, OIDC_JWKS_URL: 'http://sso.example.gov.tr/realms/mersin/certs' };
    for (const NODE_ENV of [undefined, 'production', 'staging']) {
      expect(() => loadConfig({ ...base, ...plain, ...(NODE_ENV ? { NODE_ENV } : {}) })).toThrow('OIDC_JWKS_URL must be an https URL');
    }
    for (const NODE_ENV of ['development', 'test']) expect(loadConfig({ ...base, ...plain, NODE_ENV }).auth.oidc?.jwksUrl).toBe(plain.OIDC_JWKS_URL);
    expect(loadConfig({ ...base, ...oidc, OIDC_JWKS_URL: 'HTTPS://sso.example.gov.tr/certs', NODE_ENV: 'production' }).auth.oidc).not.toBeNull();
  });

  it('item 11: the API listens on loopback unless HOST says otherwise', () => {
    expect(loadConfig(base).host).toBe('127.0.0.1');
    expect(loadConfig({ ...base, HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
  });

  it('item 11: the application’s connections have statement and idle-in-transaction timeouts (0 = none), configurable', () => {
    expect(loadConfig(base).databaseTimeouts).toEqual({ statementTimeoutMs: 15_000, idleInTransactionTimeoutMs: 30_000 });
    expect(loadConfig({ ...base, DATABASE_STATEMENT_TIMEOUT: '2m', DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: '0' }).databaseTimeouts).toEqual({ statementTimeoutMs: 120_000, idleInTransactionTimeoutMs: 0 });
    expect(() => loadConfig({ ...base, DATABASE_STATEMENT_TIMEOUT: '5ms' })).toThrow('DATABASE_STATEMENT_TIMEOUT must be 0 (no limit) or between 100ms and 1h');
    expect(() => loadConfig({ ...base, DATABASE_IDLE_IN_TRANSACTION_TIMEOUT: 'later' })).toThrow('DATABASE_IDLE_IN_TRANSACTION_TIMEOUT');
  });

  it('item 11: a session has an absolute lifetime (SESSION_MAX_LIFETIME, 12h by default)', () => {
    expect(loadConfig(base).auth.sessionMaxLifetimeMs).toBe(12 * 3_600_000);
    expect(loadConfig({ ...base, SESSION_MAX_LIFETIME: '9h' }).auth.sessionMaxLifetimeMs).toBe(9 * 3_600_000);
    expect(() => loadConfig({ ...base, SESSION_MAX_LIFETIME: '31d' })).toThrow('SESSION_MAX_LIFETIME must be between 1s and 720h');
  });

  it('requires DATABASE_URL', () => {
    expect(() => loadConfig({ TRACKING_TOKEN_SECRET: SECRET })).toThrow('Invalid configuration: DATABASE_URL is required');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT must be an integer'],
    [{ PORT: '70000' }, 'PORT must be an integer between 0 and 65535'],
    [{ SMS_GATEWAY: 'pigeon' }, 'SMS_GATEWAY must be one of console, twilio'],
    [{ SMS_GATEWAY: 'twilio' }, 'TWILIO_ACCOUNT_SID is required'],
    [{ REOPEN_WINDOW: 'two weeks' }, 'REOPEN_WINDOW'],
    [{ SLA_REMINDER_PERCENTS: '50,120' }, 'SLA_REMINDER_PERCENTS'],
    [{ PUBLIC_BASE_URL: 'not a url' }, 'PUBLIC_BASE_URL must be a URL'],
    [{ LOG_FORMAT: 'JSON' }, 'LOG_FORMAT must be one of text, json'],
    [{ SEED_DEMO: 'yes' }, 'SEED_DEMO must be one of true, false'],
    [{ DATABASE_POOL_SIZE: '0' }, 'DATABASE_POOL_SIZE must be an integer between 1 and 500'],
    [{ TICKET_HISTORY_LIMIT: '10' }, 'TICKET_HISTORY_LIMIT must be an integer between 50 and 50000'],
    [{ WORKER_MAX_CACHED_WORKFLOWS: '0' }, 'WORKER_MAX_CACHED_WORKFLOWS must be an integer between 1 and 1000000'],
    [{ COMMAND_WAIT: '500ms' }, 'COMMAND_WAIT must be between 1s and 5m'],
    [{ COMMAND_WAIT: 'soon' }, 'COMMAND_WAIT'],
    [{ AUTH_TOKEN_SECRET: 'short' }, 'AUTH_TOKEN_SECRET must be at least 32 characters, got 5'],
    [{ ACCESS_TOKEN_TTL: 'soon' }, 'ACCESS_TOKEN_TTL'],
    [{ ACCESS_TOKEN_TTL: '500ms' }, 'ACCESS_TOKEN_TTL must be between 1s and 24h'],
    [{ REFRESH_TOKEN_TTL: '60d' }, 'REFRESH_TOKEN_TTL must be between 1s and 720h'],
    [{ LOGIN_RATE_LIMIT: '20' }, 'LOGIN_RATE_LIMIT must be "<per IP>,<per username>"'],
    [{ LOGIN_RATE_LIMIT: '20,0' }, 'LOGIN_RATE_LIMIT must be'],
    [{ LOGIN_RATE_WINDOW: 'a minute' }, 'LOGIN_RATE_WINDOW'],
    [{ LOGIN_RATE_WINDOW: '10m', LOGIN_LOCKOUT_MAX: '5m' }, 'LOGIN_LOCKOUT_MAX must be at least LOGIN_RATE_WINDOW'],
    [{ PLATFORM_INTAKE_RATE_LIMIT: '0' }, 'PLATFORM_INTAKE_RATE_LIMIT must be an integer between 1 and 100000'],
    [{ SMS_HOURLY_BUDGET: 'lots' }, 'SMS_HOURLY_BUDGET must be an integer between 1 and 10000000'],
    [{ OIDC_ISSUER: 'https://idp', OIDC_JWKS_URL: 'not a url', OIDC_AUDIENCE: 'x' }, 'OIDC_JWKS_URL must be a URL'],
    [{ TRACKING_TOKEN_SECRET: '' }, 'TRACKING_TOKEN_SECRET is required'],
    [{ TRACKING_TOKEN_SECRET: 'short' }, 'TRACKING_TOKEN_SECRET must be at least 32 characters, got 5'],
    [{ TRACKING_TOKEN_TTL_AFTER_CLOSE: 'forever' }, 'TRACKING_TOKEN_TTL_AFTER_CLOSE'],
    [{ INTAKE_RATE_LIMIT: '10' }, 'INTAKE_RATE_LIMIT must be "<per IP>,<per phone>"'],
    [{ INTAKE_RATE_LIMIT: '10,0' }, 'INTAKE_RATE_LIMIT must be "<per IP>,<per phone>"'],
    [{ INTAKE_RATE_WINDOW: '500ms' }, 'INTAKE_RATE_WINDOW must be at least 1s'],
    [{ ACK_SMS_DAILY_LIMIT: '-1' }, 'ACK_SMS_DAILY_LIMIT must be an integer between 0 and 100000'],
    [{ TRUST_PROXY: 'yes please' }, 'TRUST_PROXY must be false, a hop count, or addresses/subnets'],
    [{ TRUST_PROXY: '10.0.0.0/8/1' }, 'TRUST_PROXY'],
  ])('fails fast naming the variable: %j', (env, message) => {
    const load = () => loadConfig({ ...base, ...(env as Record<string, string>) });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(message);
  });

  it('reads Twilio settings only for the twilio gateway', () => {
    const config = loadConfig({ ...base, SMS_GATEWAY: 'twilio', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006', TWILIO_API_BASE_URL: 'http://127.0.0.1:9999/' });
    expect(config.sms.twilio).toEqual({
      accountSid: 'AC1',
      authToken: 't',
      from: '+15005550006',
      whatsappFrom: null,
      apiBaseUrl: 'http://127.0.0.1:9999',
      webhookBaseUrl: 'http://localhost:3000',
      whatsappContentSid: null,
    });
  });

  it('reads the webhook URL, the WhatsApp template, the send pace, the reconciler and the closure check', () => {
    const twilio = { ...base, SMS_GATEWAY: 'twilio', TWILIO_ACCOUNT_SID: 'AC1', TWILIO_AUTH_TOKEN: 't', TWILIO_FROM: '+15005550006' };
    const config = loadConfig({
      ...twilio,
      TWILIO_WEBHOOK_BASE_URL: 'https://185.mersin.bel.tr/',
      TWILIO_WHATSAPP_CONTENT_SID: 'HX' + 'a'.repeat(32),
      SMS_RATE_PER_SECOND: '5',
      SMS_RECONCILE_INTERVAL: '0',
      CLOSURE_CHECK_AFTER: '2d',
    });
    expect(config.sms).toMatchObject({ ratePerSecond: 5, reconcileIntervalMs: 0, closureCheckAfterMs: 2 * 86_400_000 });
    expect(config.sms.twilio).toMatchObject({ webhookBaseUrl: 'https://185.mersin.bel.tr', whatsappContentSid: 'HX' + 'a'.repeat(32) });
    expect(loadConfig(base).sms).toMatchObject({ ratePerSecond: 10, reconcileIntervalMs: 60_000, closureCheckAfterMs: 3 * 86_400_000 });
    expect(() => loadConfig({ ...twilio, TWILIO_WHATSAPP_CONTENT_SID: 'HX12' })).toThrow('TWILIO_WHATSAPP_CONTENT_SID');
    expect(() => loadConfig({ ...twilio, TWILIO_WEBHOOK_BASE_URL: 'not a url' })).toThrow('TWILIO_WEBHOOK_BASE_URL');
    expect(() => loadConfig({ ...base, SMS_RATE_PER_SECOND: '0' })).toThrow('SMS_RATE_PER_SECOND');
  });

  it('needs a tracking secret outside development and test, where a fixed public one stands in', () => {
    const { TRACKING_TOKEN_SECRET: _, ...noSecret } = base;
    expect(() => loadConfig({ ...noSecret, NODE_ENV: 'production' })).toThrow('TRACKING_TOKEN_SECRET is required');
    expect(loadConfig({ ...noSecret, NODE_ENV: 'test' }).tracking.tokenSecret).toBe(DEVELOPMENT_TRACKING_SECRET);
  });

  it('reads the intake limits and which proxies to trust', () => {
    const config = loadConfig({ ...base, INTAKE_RATE_LIMIT: '100, 4', INTAKE_RATE_WINDOW: '10m', ACK_SMS_DAILY_LIMIT: '0', TRACKING_TOKEN_TTL_AFTER_CLOSE: '30d' });
    expect(config.intakeLimits).toEqual({ perIp: 100, perPhone: 4, windowMs: 600_000, ackSmsPerPhonePerDay: 0, perPlatformUser: 30 });
    expect(loadConfig({ ...base, PLATFORM_INTAKE_RATE_LIMIT: '12' }).intakeLimits.perPlatformUser).toBe(12);
    expect(loadConfig(base).sms.hourlyBudget).toBe(5000);
    expect(config.tracking.ttlAfterCloseMs).toBe(30 * 86_400_000);
    expect(loadConfig({ ...base, TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ ...base, TRUST_PROXY: 'loopback, 10.0.0.0/8,::1' }).http.trustProxy).toEqual(['loopback', '10.0.0.0/8', '::1']);
  });

  it('reads the map tiles: OpenStreetMap by default, one host the CSP can name, attribution shown', () => {
    expect(loadConfig(base).map).toEqual({
      tileUrl: 'https://tile.openstreetmap.org/{z}/{x}/{y}.png',
      tileOrigin: 'https://tile.openstreetmap.org',
      attribution: '© OpenStreetMap contributors',
      attributionUrl: 'https://www.openstreetmap.org/copyright',
      maxZoom: 19,
    });
    const own = loadConfig({ ...base, MAP_TILE_URL: 'http://127.0.0.1:8081/tiles/{z}/{x}/{y}.png', MAP_TILE_ATTRIBUTION: 'Mersin BB', MAP_TILE_ATTRIBUTION_URL: 'none', MAP_MAX_ZOOM: '18' }).map;
    expect(own).toMatchObject({ tileOrigin: 'http://127.0.0.1:8081', attribution: 'Mersin BB', attributionUrl: null, maxZoom: 18 });
    expect(() => loadConfig({ ...base, MAP_TILE_URL: 'https://{s}.tile.example.org/{z}/{x}/{y}.png' })).toThrow(/MAP_TILE_URL must name one host/);
    expect(() => loadConfig({ ...base, MAP_TILE_URL: 'https://tiles.example.org/{z}/{x}.png' })).toThrow(/MAP_TILE_URL must contain \{z\}/);
    expect(() => loadConfig({ ...base, MAP_TILE_URL: 'ftp://tiles.example.org/{z}/{x}/{y}.png' })).toThrow(/MAP_TILE_URL must be an http\(s\) URL/);
    expect(() => loadConfig({ ...base, MAP_TILE_URL: 'https://u:p@tiles.example.org/{z}/{x}/{y}.png' })).toThrow(/MAP_TILE_URL must not carry credentials/);
    expect(() => loadConfig({ ...base, MAP_MAX_ZOOM: '30' })).toThrow(/MAP_MAX_ZOOM/);
  });

  it('takes durations in seconds for tests', () => {
    expect(loadConfig({ ...base, REOPEN_WINDOW: '4s', APPROVAL_LEVEL_SLA: '1500ms' }).ticket).toMatchObject({ reopenWindowMs: 4000, approvalLevelSlaMs: 1500 });
  });
});

describe('loadConfig: the S3 attachment store (ATTACHMENT_S3_*)', () => {
  const s3 = { ATTACHMENT_S3_BUCKET: 'teksin-attachments', ATTACHMENT_S3_ACCESS_KEY_ID: 'AKID', ATTACHMENT_S3_SECRET_ACCESS_KEY: 'secret' };

  it('is off without a bucket, and a stray S3 variable without one is refused', () => {
    expect(loadConfig(base).attachmentS3).toBeNull();
    expect(() => loadConfig({ ...base, ATTACHMENT_S3_ENDPOINT: 'http://seaweedfs:8333' })).toThrow(/ATTACHMENT_S3_BUCKET is required when ATTACHMENT_S3_ENDPOINT is set/);
  });

  it('reads a self-hosted store path-style, and AWS virtual-hosted, unless told otherwise', () => {
    expect(loadConfig({ ...base, ...s3, ATTACHMENT_S3_ENDPOINT: 'http://seaweedfs:8333/' }).attachmentS3).toEqual({
      endpoint: 'http://seaweedfs:8333',
      region: 'us-east-1',
      bucket: 'teksin-attachments',
      accessKeyId: 'AKID',
      secretAccessKey: 'secret',
      forcePathStyle: true,
      createBucket: false,
    });
    expect(loadConfig({ ...base, ...s3, ATTACHMENT_S3_REGION: 'eu-central-1' }).attachmentS3).toMatchObject({ endpoint: null, region: 'eu-central-1', forcePathStyle: false });
    expect(loadConfig({ ...base, ...s3, ATTACHMENT_S3_ENDPOINT: 'https://s3.example.gov.tr', ATTACHMENT_S3_FORCE_PATH_STYLE: 'false' }).attachmentS3).toMatchObject({ forcePathStyle: false });
  });

  it('names the variable that is missing or wrong', () => {
    expect(() => loadConfig({ ...base, ...s3, ATTACHMENT_S3_SECRET_ACCESS_KEY: '' })).toThrow(/ATTACHMENT_S3_SECRET_ACCESS_KEY is required when ATTACHMENT_S3_BUCKET is set/);
    expect(() => loadConfig({ ...base, ...s3, ATTACHMENT_S3_ACCESS_KEY_ID: undefined })).toThrow(/ATTACHMENT_S3_ACCESS_KEY_ID is required/);
    expect(() => loadConfig({ ...base, ...s3, ATTACHMENT_S3_BUCKET: 'Teksin_Attachments' })).toThrow(/ATTACHMENT_S3_BUCKET must be a bucket name/);
    expect(() => loadConfig({ ...base, ...s3, ATTACHMENT_S3_ENDPOINT: 'seaweedfs:8333' })).toThrow(/ATTACHMENT_S3_ENDPOINT must be/);
    expect(() => loadConfig({ ...base, ...s3, ATTACHMENT_S3_ENDPOINT: 'ftp://seaweedfs' })).toThrow(/ATTACHMENT_S3_ENDPOINT must be an http\(s\) URL/);
    expect(() => loadConfig({ ...base, ...s3, ATTACHMENT_S3_FORCE_PATH_STYLE: 'yes' })).toThrow(/ATTACHMENT_S3_FORCE_PATH_STYLE must be one of true, false/);
  });

  it('ATTACHMENT_STORE=s3 needs the bucket and its key pair, each named when missing', () => {
    expect(() => loadConfig({ ...base, ATTACHMENT_STORE: 's3' })).toThrow(/ATTACHMENT_S3_BUCKET is required when ATTACHMENT_STORE=s3/);
    expect(() => loadConfig({ ...base, ...s3, ATTACHMENT_STORE: 's3', ATTACHMENT_S3_SECRET_ACCESS_KEY: undefined })).toThrow(/ATTACHMENT_S3_SECRET_ACCESS_KEY is required/);
    expect(loadConfig({ ...base, ...s3, ATTACHMENT_STORE: 's3' }).attachments.store).toBe('s3');
  });

  it('creates a missing bucket at start only in development and tests, unless told', () => {
    expect(loadConfig({ ...base, ...s3, NODE_ENV: 'production' }).attachmentS3!.createBucket).toBe(false);
    expect(loadConfig({ ...base, ...s3, NODE_ENV: 'development' }).attachmentS3!.createBucket).toBe(true);
    expect(loadConfig({ ...base, ...s3, NODE_ENV: 'test' }).attachmentS3!.createBucket).toBe(true);
    expect(loadConfig({ ...base, ...s3, NODE_ENV: 'production', ATTACHMENT_S3_CREATE_BUCKET: 'true' }).attachmentS3!.createBucket).toBe(true);
  });
});

describe('parseDuration', () => {
  it.each([
    ['250', 250],
    ['250ms', 250],
    ['30s', 30_000],
    ['15m', 900_000],
    ['2h', 7_200_000],
    ['15d', 1_296_000_000],
    ['1.5s', 1500],
  ])('%s → %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('refuses what it cannot read', () => {
    expect(() => parseDuration('soon')).toThrow(/not a duration/);
    expect(() => parseDuration('-5s')).toThrow(/not a duration/);
  });
});
