import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client, Connection } from '@temporalio/client';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApiApp } from '../../apps/api/src/app.factory';
import { TicketWorker } from '../../apps/worker/src/ticket-worker';
import { WorkerModule } from '../../apps/worker/src/worker.module';
import { loadConfig, type AppConfig } from '../../libs/config/src';
import { DEMO_PASSWORD } from '../../libs/database/src/seed';
import { ConsoleSmsGateway, SmsGateway } from '../../libs/sms/src';

/**
 * A whole Teksin for one test file: the real API (HTTP through supertest), the real worker
 * with activities from Nest DI, against the PostgreSQL and Temporal server global-setup
 * started. Each stack gets its own task queue so suites never steal each other's tasks.
 */
export interface TestStack {
  config: AppConfig;
  api: NestExpressApplication;
  http: ReturnType<typeof request>;
  client: Client;
  db: DataSource;
  sms: ConsoleSmsGateway;
  /** Signs the staff member in (POST /auth/login, demo password) once per stack; the `Authorization` header value. */
  bearer(staffId: string): Promise<string>;
  close(): Promise<void>;
}

export function testConfig(env: Record<string, string> = {}): AppConfig {
  const required = (name: string) => {
    const value = process.env[name];
    if (!value) throw new Error(`${name} is not set: run the integration tests through jest (global-setup)`);
    return value;
  };
  return loadConfig({
    DATABASE_URL: required('TEKSIN_TEST_DATABASE_URL'),
    TEMPORAL_ADDRESS: required('TEKSIN_TEST_TEMPORAL_ADDRESS'),
    TEMPORAL_NAMESPACE: required('TEKSIN_TEST_TEMPORAL_NAMESPACE'),
    TEMPORAL_TASK_QUEUE: `test-${randomUUID().slice(0, 8)}`,
    WORKFLOW_BUNDLE_PATH: required('TEKSIN_TEST_WORKFLOW_BUNDLE'),
    PUBLIC_BASE_URL: 'http://teksin.test',
    INTAKE_SWEEP_INTERVAL: '0',
    LOG_LEVEL: 'warn',
    AUTH_TOKEN_SECRET: randomBytes(48).toString('base64url'),
    // Every request of a suite comes from 127.0.0.1 and suites sign many accounts in: the login
    // limits are lifted here; test/auth.spec.ts lowers them to test them.
    LOGIN_RATE_LIMIT: '100000,100000',
    TRACKING_TOKEN_SECRET: 'teksin-test-tracking-secret-0123456789',
    // Suites text one phone many times: the intake limits are lifted too; test/abuse.spec.ts lowers them.
    INTAKE_RATE_LIMIT: '100000,100000',
    PLATFORM_INTAKE_RATE_LIMIT: '100000',
    ACK_SMS_DAILY_LIMIT: '100000',
    // Every suite's SMS share one hourly budget in the one test database: lifted as well.
    SMS_HOURLY_BUDGET: '10000000',
    // Open311 reads without a key count per address in that database too (127.0.0.1 for every
    // suite, in parallel): lifted; test/open311.spec.ts lowers the limit to test it.
    OPEN311_ANONYMOUS_RATE_LIMIT: '100000',
    // Each stack its own attachment directory (never the developer's .data/); the suites sweep by hand.
    ATTACHMENT_DIR: mkdtempSync(join(tmpdir(), 'teksin-attachments-')),
    ATTACHMENT_SWEEP_INTERVAL: '0',
    ...env,
  });
}

export async function startTestStack(options: { env?: Record<string, string>; worker?: boolean } = {}): Promise<TestStack> {
  const config = testConfig(options.env);
  const api = await createApiApp(config);
  await api.init();

  let workerApp: Awaited<ReturnType<typeof NestFactory.createApplicationContext>> | null = null;
  let running: Promise<void> | null = null;
  let sms: ConsoleSmsGateway = new ConsoleSmsGateway();
  if (options.worker !== false) {
    workerApp = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['warn', 'error'] });
    sms = workerApp.get(SmsGateway) as ConsoleSmsGateway;
    const worker = workerApp.get(TicketWorker);
    await worker.create();
    running = worker.run();
  }

  const client = new Client({ connection: Connection.lazy({ address: config.temporal.address }), namespace: config.temporal.namespace });
  const http = request(api.getHttpServer());
  const signedIn = new Map<string, Promise<string>>();
  const bearer = (staffId: string) => {
    let token = signedIn.get(staffId);
    if (!token) {
      token = signIn(http, staffId);
      signedIn.set(staffId, token);
      token.catch(() => signedIn.delete(staffId));
    }
    return token.then((accessToken) => `Bearer ${accessToken}`);
  };

  return {
    config,
    api,
    http,
    client,
    db: api.get(DataSource),
    sms,
    bearer,
    async close() {
      if (workerApp) {
        workerApp.get(TicketWorker).shutdown();
        await running;
        await workerApp.close();
      }
      await client.connection.close();
      await api.close();
      // The stack's own attachment directory (testConfig made it); a directory a suite named itself stays.
      if (!options.env?.ATTACHMENT_DIR) rmSync(config.attachments.dir, { recursive: true, force: true });
    },
  };
}

/** POST /auth/login as a seeded demo account; the access token. */
export async function signIn(http: ReturnType<typeof request>, staffId: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await http.post('/auth/login').send({ username: staffId, password });
  if (res.status !== 200) throw new Error(`sign-in of ${staffId} failed: ${res.status} ${res.text}`);
  return res.body.accessToken;
}
