import { spawn } from 'node:child_process';
import type * as fs from 'node:fs';
import { settlesWithin } from './wait';

/** A server process we started and must not leave behind. */
export interface SupervisedProcess {
  /** How it ended (`exit code 1`, `signal SIGKILL`, `spawn error: …`); null while it runs. */
  exitInfo(): string | null;
  /** Its last 30 lines of output, so a failed start can say why even without a log file. */
  recentOutput(): string[];
  /** SIGTERM, then SIGKILL after the grace period; closes the log. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Starts `command` in our process group (Ctrl-C in the terminal reaches it too), copies its
 * output to `logStream` (kept open until stop), and SIGKILLs it if our process ends without
 * stop(): nothing can wait for a graceful shutdown then, so its store must survive a kill.
 */
export function startSupervised(opts: {
  name: string;
  command: string;
  args: string[];
  cwd?: string;
  logStream?: fs.WriteStream;
  graceMs: number;
  log: (message: string) => void;
}): SupervisedProcess {
  const recent: string[] = [];
  const onOutput = (chunk: Buffer) => {
    opts.logStream?.write(chunk);
    recent.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    recent.splice(0, Math.max(0, recent.length - 30));
  };
  const child = spawn(opts.command, opts.args, { cwd: opts.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);
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
  const killOnExit = () => child.kill('SIGKILL');
  process.on('exit', killOnExit);

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      if (exitInfo === null) {
        child.kill('SIGTERM');
        if (!(await settlesWithin(exited, opts.graceMs))) {
          opts.log(`${opts.name} did not stop within ${opts.graceMs / 1000} s; killing it.`);
          child.kill('SIGKILL');
          await exited;
        }
      }
      process.removeListener('exit', killOnExit);
      const logStream = opts.logStream;
      await new Promise<void>((resolve) => (logStream ? logStream.end(resolve) : resolve()));
    })());

  return { exitInfo: () => exitInfo, recentOutput: () => [...recent], stop };
}
