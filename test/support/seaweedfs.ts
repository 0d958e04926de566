import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { S3AttachmentStore, type S3StoreSettings } from '../../libs/attachments/src/s3-attachment.store';
import { freePort } from '../../scripts/lib/free-port';
import { resolveWeed } from '../../scripts/lib/seaweedfs';
import { settlesWithin, sleep } from '../../scripts/lib/wait';

/**
 * A real SeaweedFS for a test suite: `weed server` (master, volume server, filer and S3 gateway
 * in one process) on free loopback ports, its data in a fresh temporary directory, S3 requests
 * signed with a random key pair only this server knows. Suites that need an S3 store (the
 * attachment store's contract, KVKK erasure removing objects) start one in beforeAll and stop
 * it in afterAll:
 *
 *   const seaweed = await startSeaweedFs();
 *   const store = new S3AttachmentStore(seaweed.storeSettings('attachments'));
 *   await store.ensureBucket();
 *   ...
 *   await seaweed.stop();   // kills its process group and removes its data
 *
 * The `weed` binary: the one the integration global setup found or built (TEKSIN_TEST_WEED_PATH),
 * else SEAWEEDFS_WEED_PATH or the per-user cache (scripts/lib/seaweedfs.ts). It is never built
 * here: a several-minute build inside a suite's beforeAll would hit its timeout.
 */
export interface SeaweedFsServer {
  /** The S3 gateway, e.g. http://127.0.0.1:21345. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Settings for the S3 attachment store on `bucket` (path-style, this server's key). */
  storeSettings(bucket: string): S3StoreSettings;
  /** The server process's id, which is also its process group's. */
  pid: number;
  /** Its data (and config, sockets and log): removed by stop() unless `keepData`. */
  workDir: string;
  /** Its output so far (the last lines), for a failing test's message. */
  recentOutput(): string[];
  /** SIGTERM to its process group, SIGKILL after a grace period; removes workDir. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartSeaweedFsOptions {
  log?: (line: string) => void;
  /** Default 60 s: from spawn until an object can be written. */
  readyTimeoutMs?: number;
  /** Keep workDir after stop() (to look at a failure). */
  keepData?: boolean;
}

const REGION = 'us-east-1';
/**
 * `weed server`'s shutdown hooks can hang far longer (over 15 s seen: the master keeps growing
 * volumes after the filer is gone); the data is thrown away, so it gets a short grace, then SIGKILL.
 */
const STOP_GRACE_MS = 3_000;
const PROBE_BUCKET = 'teksin-ready-probe';

export async function startSeaweedFs(opts: StartSeaweedFsOptions = {}): Promise<SeaweedFsServer> {
  const weed = await weedBinary();
  // A port picked free may be taken by someone else before weed binds it: try again on new ports.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(weed, opts);
    } catch (error) {
      if (attempt >= 3 || !(error instanceof PortTakenError)) throw error;
      opts.log?.(`SeaweedFS: ${error.message}; retrying on other ports`);
    }
  }
}

class PortTakenError extends Error {}

async function weedBinary(): Promise<string> {
  const fromSetup = process.env.TEKSIN_TEST_WEED_PATH;
  if (fromSetup) return fromSetup;
  const found = await resolveWeed({ allowBuild: false });
  if (found) return found.path;
  const why = process.env.TEKSIN_TEST_WEED_ERROR ? `\nThe build failed: ${process.env.TEKSIN_TEST_WEED_ERROR}` : '';
  throw new Error(
    'No SeaweedFS `weed` binary: run `npm run seaweedfs:install` (builds it with Go into the per-user cache, ' +
      `several minutes once) or set SEAWEEDFS_WEED_PATH.${why}`,
  );
}

async function startOnce(weed: string, opts: StartSeaweedFsOptions): Promise<SeaweedFsServer> {
  const log = opts.log ?? (() => undefined);
  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teksin-seaweedfs-'));
  const dataDir = path.join(workDir, 'data');
  fs.mkdirSync(dataDir);

  const ports: number[] = [];
  for (let i = 0; i < 8; i++) ports.push(await freePort(ports));
  const [master, masterGrpc, volume, volumeGrpc, filer, filerGrpc, s3, s3Grpc] = ports;
  const grpcPorts = { master: masterGrpc, volume: volumeGrpc, filer: filerGrpc, s3: s3Grpc };
  removeGrpcSockets(grpcPorts); // left by a killed run on the same (now free) port

  // The only identity: an anonymous request (or one signed with another key) is refused.
  const accessKeyId = `TEKSIN${randomBytes(7).toString('hex').toUpperCase()}`;
  const secretAccessKey = randomBytes(24).toString('base64url');
  const s3Config = path.join(workDir, 's3.json');
  fs.writeFileSync(
    s3Config,
    JSON.stringify({
      identities: [{ name: 'teksin', credentials: [{ accessKey: accessKeyId, secretKey: secretAccessKey }], actions: ['Admin', 'Read', 'List', 'Tagging', 'Write'] }],
    }),
    { mode: 0o600 },
  );

  const args = [
    'server',
    '-ip=127.0.0.1',
    '-ip.bind=127.0.0.1',
    `-dir=${dataDir}`,
    `-master.port=${master}`,
    `-master.port.grpc=${masterGrpc}`,
    // No phone-home (CI has no internet) and small volumes: a test writes kilobytes.
    '-master.telemetry=false',
    '-master.volumeSizeLimitMB=64',
    // Volume slots from the free disk (as the Docker image does): every bucket is a collection with volumes of its own.
    '-volume.max=0',
    `-volume.port=${volume}`,
    `-volume.port.grpc=${volumeGrpc}`,
    '-filer',
    `-filer.port=${filer}`,
    `-filer.port.grpc=${filerGrpc}`,
    `-filer.localSocket=${path.join(workDir, 'filer.sock')}`,
    '-s3',
    `-s3.port=${s3}`,
    `-s3.port.grpc=${s3Grpc}`,
    // The Iceberg and Lance catalogs would take two more fixed ports (8181, 9101).
    '-s3.port.iceberg=0',
    '-s3.port.lance=0',
    `-s3.config=${s3Config}`,
    `-s3.localSocket=${path.join(workDir, 's3.sock')}`,
  ];

  const logFile = path.join(workDir, 'weed.log');
  const logStream = fs.createWriteStream(logFile);
  const recent: string[] = [];
  // Its own process group (detached), so stop() reaches whatever it starts, and a Ctrl-C meant
  // for Jest does not kill it before afterAll stops it cleanly.
  const child = spawn(weed, ['-logtostderr=true', ...args], { cwd: workDir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const onOutput = (chunk: Buffer) => {
    logStream.write(chunk);
    recent.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    recent.splice(0, Math.max(0, recent.length - 40));
  };
  child.stdout!.on('data', onOutput);
  child.stderr!.on('data', onOutput);
  let exitInfo: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exitInfo = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve();
    });
    child.once('error', (err) => {
      exitInfo = `spawn error: ${err.message}`;
      resolve();
    });
  });
  const killGroupOnExit = () => killGroup(child, 'SIGKILL');
  process.on('exit', killGroupOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (exitInfo === null) {
        killGroup(child, 'SIGTERM');
        if (!(await settlesWithin(exited, STOP_GRACE_MS))) {
          log(`SeaweedFS did not stop within ${STOP_GRACE_MS / 1000} s; killing it.`);
          killGroup(child, 'SIGKILL');
          await exited;
        }
      } else {
        killGroup(child, 'SIGKILL'); // the leader is gone; anything it left in its group is not
      }
      process.removeListener('exit', killGroupOnExit);
      removeGrpcSockets(grpcPorts);
      await new Promise<void>((resolve) => logStream.end(resolve));
      if (!opts.keepData) fs.rmSync(workDir, { recursive: true, force: true });
    })());

  const endpoint = `http://127.0.0.1:${s3}`;
  const storeSettings = (bucket: string): S3StoreSettings => ({ endpoint, region: REGION, bucket, accessKeyId, secretAccessKey, forcePathStyle: true });
  const started = Date.now();
  log(`Starting SeaweedFS (${weed}) with S3 on ${endpoint}, data in ${dataDir}...`);
  try {
    await waitUntilWritable(storeSettings(PROBE_BUCKET), () => exitInfo, opts.readyTimeoutMs ?? 60_000);
  } catch (error) {
    const output = [...recent];
    await stop();
    const message = `SeaweedFS did not become ready: ${(error as Error).message}\nLast output:\n${output.join('\n')}`;
    throw output.some((line) => /address already in use/i.test(line)) ? new PortTakenError(message) : new Error(message);
  }
  log(`SeaweedFS ready on ${endpoint} in ${Date.now() - started} ms`);

  return { endpoint, region: REGION, accessKeyId, secretAccessKey, storeSettings, pid: child.pid!, workDir, recentOutput: () => [...recent], stop };
}

/**
 * `weed server` always puts its gRPC unix sockets at /tmp/seaweedfs-<service>-grpc-<port>.sock
 * (not configurable, not under TMPDIR) and leaves them there: removed here, ours only.
 */
function removeGrpcSockets(grpcPorts: Record<string, number>): void {
  for (const [service, port] of Object.entries(grpcPorts)) {
    fs.rmSync(`/tmp/seaweedfs-${service}-grpc-${port}.sock`, { force: true });
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/**
 * Ready = an object can be written and read back, not merely a listening port: the S3 gateway
 * answers before the filer and a writable volume exist, and early writes fail with 500s.
 */
async function waitUntilWritable(settings: S3StoreSettings, exitInfo: () => string | null, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const store = new S3AttachmentStore(settings);
  let lastError = 'no answer yet';
  try {
    for (;;) {
      const ended = exitInfo();
      if (ended) throw new Error(`weed ended (${ended})`);
      try {
        await store.ensureBucket();
        await store.put('probe', Buffer.from('ready'), 'text/plain');
        if ((await store.get('probe'))?.toString() === 'ready') {
          await store.delete('probe');
          return;
        }
        lastError = 'the probe object did not read back';
      } catch (error) {
        lastError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      }
      if (Date.now() > deadline) throw new Error(`not writable after ${timeoutMs / 1000} s (last: ${lastError})`);
      await sleep(250);
    }
  } finally {
    store.destroy();
  }
}
