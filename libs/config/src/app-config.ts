import { parseDuration } from './duration';

/**
 * The one place that reads process.env. Everything is validated once at boot; a bad value
 * fails fast with a message naming the variable. Every variable is listed in README.md.
 */
export interface AppConfig {
  port: number;
  /** Interface the API binds to. */
  host: string;
  /** Base of links sent to citizens (tracking page). */
  publicBaseUrl: string;
  databaseUrl: string;
  databaseLogging: boolean;
  databasePoolSize: number;
  /** The migrate CLI also upserts the demo organisation (institutions, departments, staff, categories). */
  seedDemo: boolean;
  temporal: { address: string; namespace: string; taskQueue: string };
  /** Prebuilt workflow bundle for production; unset = bundle workflows/ from source at start. */
  workflowBundlePath: string | null;
  sms: {
    gateway: 'console' | 'twilio';
    twilio: { accountSid: string; authToken: string; from: string; whatsappFrom: string | null; apiBaseUrl: string | null } | null;
  };
  ticket: {
    approvalLevelSlaMs: number;
    legalDeadlineMs: number;
    legalWarningMs: number;
    reopenWindowMs: number;
    slaThresholds: number[];
    /** History events after which a ticket workflow continues as new. */
    historyLimit: number;
  };
  http: { bodyLimit: string; logLevel: 'debug' | 'info' | 'warn' | 'error'; json: boolean };
  /** How often the API re-starts workflows of tickets whose start failed. */
  intakeSweepIntervalMs: number;
}

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

function url(env: Env, name: string, fallback?: string): string {
  const value = read(env, name, fallback);
  try {
    new URL(value);
  } catch {
    throw new ConfigError(name, `must be a URL, got "${value}"`);
  }
  return value.replace(/\/+$/, '');
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
  return {
    port,
    publicBaseUrl: url(env, 'PUBLIC_BASE_URL', `http://localhost:${port}`),
    host: read(env, 'HOST', '0.0.0.0'),
    databaseUrl: read(env, 'DATABASE_URL'),
    databaseLogging: bool(env, 'DATABASE_LOGGING', false),
    databasePoolSize: int(env, 'DATABASE_POOL_SIZE', 10, 1, 500),
    seedDemo: bool(env, 'SEED_DEMO', false),
    temporal: {
      address: read(env, 'TEMPORAL_ADDRESS', '127.0.0.1:7233'),
      namespace: read(env, 'TEMPORAL_NAMESPACE', 'default'),
      taskQueue: read(env, 'TEMPORAL_TASK_QUEUE', 'teksin-tickets'),
    },
    workflowBundlePath: env.WORKFLOW_BUNDLE_PATH || null,
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
            }
          : null,
    },
    ticket: {
      approvalLevelSlaMs: duration(env, 'APPROVAL_LEVEL_SLA', '2d'),
      legalDeadlineMs: duration(env, 'LEGAL_ANSWER_DEADLINE', '30d'),
      legalWarningMs: duration(env, 'LEGAL_DEADLINE_WARNING', '5d'),
      reopenWindowMs: duration(env, 'REOPEN_WINDOW', '15d'),
      slaThresholds: thresholds,
      historyLimit: int(env, 'TICKET_HISTORY_LIMIT', 8000, 50, 50_000),
    },
    http: {
      bodyLimit: read(env, 'HTTP_BODY_LIMIT', '64kb'),
      logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
      json: oneOf(env, 'LOG_FORMAT', ['text', 'json'] as const, 'text') === 'json',
    },
    intakeSweepIntervalMs: duration(env, 'INTAKE_SWEEP_INTERVAL', '30s'),
  };
}
