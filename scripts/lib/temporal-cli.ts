import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/**
 * Finds (or builds) the Temporal CLI that serves `temporal server start-dev` for `npm start`
 * and the integration tests.
 *
 * Why not just let @temporalio/testing download it: that needs internet access to
 * temporal.download at run time, which CI sandboxes and some office networks do not have.
 * A Go toolchain plus a module proxy is more often available, and a binary built once is
 * cached per user, so only the first run pays for it.
 */

/** The CLI release we build. Pinned so every machine runs the same dev server. */
export const TEMPORAL_CLI_VERSION = 'v1.5.1';

export type TemporalCliResolution =
  | { kind: 'path'; path: string; source: 'TEMPORAL_CLI_PATH' | 'PATH' | 'cache' | 'built' }
  /** Nothing local: the SDK downloads its own dev server (needs internet). */
  | { kind: 'sdk-download' };

export interface ResolveTemporalCliOptions {
  log?: (msg: string) => void;
  /** false = never run `go install` (e.g. when a caller only wants a quick lookup). */
  allowBuild?: boolean;
}

const EXE = process.platform === 'win32' ? '.exe' : '';
/** How long a second caller waits for another process's build before giving up. */
const LOCK_WAIT_MS = 30 * 60_000;

/** `${TEKSIN_CACHE_DIR ?? (XDG_CACHE_HOME ?? ~/.cache)/teksin}` */
export function teksinCacheDir(): string {
  if (process.env.TEKSIN_CACHE_DIR) return path.resolve(process.env.TEKSIN_CACHE_DIR);
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'teksin');
}

/** Where the built CLI lives: `<cache>/temporal-cli/v1.5.1/temporal`. */
export function cachedTemporalCliPath(): string {
  return path.join(teksinCacheDir(), 'temporal-cli', TEMPORAL_CLI_VERSION, `temporal${EXE}`);
}

export async function resolveTemporalCli(
  opts: ResolveTemporalCliOptions = {},
): Promise<TemporalCliResolution> {
  const log = opts.log ?? (() => undefined);

  // An explicit setting is a promise by the user; failing loudly beats silently using another.
  const fromEnv = process.env.TEMPORAL_CLI_PATH;
  if (fromEnv) {
    if (!isExecutableFile(fromEnv)) {
      throw new Error(
        `TEMPORAL_CLI_PATH is set to "${fromEnv}", but that is not an executable file. ` +
          'Fix or unset TEMPORAL_CLI_PATH.',
      );
    }
    return { kind: 'path', path: path.resolve(fromEnv), source: 'TEMPORAL_CLI_PATH' };
  }

  const onPath = findOnPath(`temporal${EXE}`);
  if (onPath) return { kind: 'path', path: onPath, source: 'PATH' };

  const cached = cachedTemporalCliPath();
  if (isExecutableFile(cached)) return { kind: 'path', path: cached, source: 'cache' };

  const go = findOnPath(`go${EXE}`);
  if (go && opts.allowBuild !== false) {
    const pkg = `github.com/temporalio/cli/cmd/temporal@${TEMPORAL_CLI_VERSION}`;
    await goInstallCached(go, { dir: path.dirname(cached), packages: [pkg], binaries: ['temporal'], what: `the Temporal CLI ${TEMPORAL_CLI_VERSION}` }, log);
    return { kind: 'path', path: cached, source: 'built' };
  }
  return { kind: 'sdk-download' };
}

export function isExecutableFile(file: string): boolean {
  try {
    if (!fs.statSync(file).isFile()) return false;
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A tiny `which`, so we need no extra dependency. Empty PATH entries are skipped on purpose. */
export function findOnPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** What `go install` builds into a cache directory: the Temporal CLI, or the server and its SQL tool. */
export interface GoInstallSpec {
  /** The cache directory the binaries end up in (also holds the build lock). */
  dir: string;
  /** `module/path/cmd/x@version`, one or more. */
  packages: string[];
  /** The binaries `go install` makes of them (the last element of each package path). */
  binaries: string[];
  /** For the log, e.g. "the Temporal CLI v1.5.1". */
  what: string;
  /**
   * Instead of `go install <packages>`: put the binaries into `scratch` another way (a module
   * whose go.mod has replace directives, like SeaweedFS's, cannot be `go install`ed).
   */
  build?: (scratch: string) => Promise<void>;
}

/**
 * `go install` into the cache once per machine. Only one process builds; the others wait for the
 * binaries to appear. The lock file holds the builder's pid so a lock left by a killed build (pid
 * gone) is taken over instead of waited on.
 */
export async function goInstallCached(go: string, spec: GoInstallSpec, log: (msg: string) => void) {
  const { dir } = spec;
  const built = () => spec.binaries.every((b) => isExecutableFile(path.join(dir, `${b}${EXE}`)));
  fs.mkdirSync(dir, { recursive: true });
  const lockFile = path.join(dir, 'build.lock');
  const deadline = Date.now() + LOCK_WAIT_MS;
  let announcedWait = false;

  for (;;) {
    let fd: number;
    try {
      fd = fs.openSync(lockFile, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = Number.parseInt(readOrEmpty(lockFile), 10);
      // An empty lock older than a few seconds belongs to a process that died right after
      // creating it (the pid is written immediately after).
      const stale = Number.isNaN(holder) ? ageMs(lockFile) > 10_000 : !pidAlive(holder);
      if (stale) {
        fs.rmSync(lockFile, { force: true }); // stale: its builder was killed
        continue;
      }
      if (built()) return; // the other builder finished
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for another build of ${spec.what} (lock ${lockFile}).`);
      }
      if (!announcedWait) {
        log(`Another process (pid ${holder}) is building ${spec.what}; waiting for it...`);
        announcedWait = true;
      }
      await new Promise((r) => setTimeout(r, 1000));
      continue;
    }

    // We hold the lock. Release it even if this process exits mid-build.
    const release = () => fs.rmSync(lockFile, { force: true });
    process.once('exit', release);
    try {
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      if (built()) return; // built while we were waiting for the lock
      // Scratch dirs of killed builds (~250 MB each); nobody else builds while we hold the lock.
      for (const entry of fs.readdirSync(dir)) {
        if (!entry.startsWith('.build-')) continue;
        fs.rmSync(path.join(dir, entry), { recursive: true, force: true });
      }
      await goInstall(go, spec, log);
      return;
    } finally {
      release();
      process.removeListener('exit', release);
    }
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/**
 * `go install` into a scratch GOBIN next to the targets, then rename: the rename is atomic on
 * one filesystem, so a build killed halfway never leaves a truncated binary that the cache
 * lookup above would happily execute.
 */
async function goInstall(go: string, spec: GoInstallSpec, log: (msg: string) => void) {
  const { dir, packages } = spec;
  const scratch = fs.mkdtempSync(path.join(dir, '.build-'));
  log(
    `Building ${spec.what} with Go (${go}); this takes several ` +
      `minutes the first time and is cached in ${dir}.`,
  );
  try {
    if (spec.build) await spec.build(scratch);
    else await runGo(go, ['install', ...packages], { env: { GOBIN: scratch } }, log);
    for (const binary of spec.binaries) {
      fs.renameSync(path.join(scratch, `${binary}${EXE}`), path.join(dir, `${binary}${EXE}`));
    }
    log(`Built ${spec.what}: ${spec.binaries.map((b) => path.join(dir, b)).join(', ')}`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * Runs a go command that fetches modules, its output going to `log`; throws with the output's
 * tail when it fails. Sandboxes often reach a module proxy but not sum.golang.org: what the
 * proxy serves is still checked against the go.sum files of the modules being built, so it is
 * retried once without the checksum database rather than given up.
 */
export async function runGo(
  go: string,
  args: string[],
  opts: { env?: Record<string, string>; cwd?: string },
  log: (msg: string) => void,
): Promise<string> {
  let result = await run(go, args, opts.env ?? {}, log, opts.cwd);
  const sumDbTrouble = /sum\.golang\.org|checksum database|verifying module/i;
  if (result.code !== 0 && sumDbTrouble.test(result.output)) {
    log('Go could not reach the checksum database; retrying once with GOSUMDB=off.');
    result = await run(go, args, { ...opts.env, GOSUMDB: 'off' }, log, opts.cwd);
  }
  if (result.code !== 0) {
    throw new Error(`go ${args.join(' ')} failed (exit ${result.code}). Last output:\n${tail(result.output, 20)}`);
  }
  return result.output;
}

function run(
  cmd: string,
  args: string[],
  env: Record<string, string>,
  log: (msg: string) => void,
  cwd?: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let partial = '';
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      output += text;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) if (line.trim()) log(`  ${line}`);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (partial.trim()) log(`  ${partial}`);
      resolve({ code: code ?? (signal ? 128 : 1), output });
    });
  });
}

function tail(text: string, lines: number): string {
  return text.trimEnd().split('\n').slice(-lines).join('\n');
}
