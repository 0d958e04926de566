import * as fs from 'node:fs';

/** CPU milliseconds spent so far, per part of the system under test. */
export interface CpuSample {
  /** This process: API, worker (main and workflow threads), bench client. */
  node: number;
  /** The Temporal dev server. */
  temporal: number;
  /** Every PostgreSQL process (postmaster, backends, background workers). */
  postgres: number;
}

/**
 * Where the CPU of a phase went. Wall-clock throughput on a shared 2-core machine moves with
 * whatever else runs on it; CPU time per lifecycle, split by process, does much less, and says
 * which part to make cheaper. Linux only (reads /proc); elsewhere only `node` is filled in.
 */
export function sampleCpu(): CpuSample {
  const { user, system } = process.cpuUsage();
  const sample: CpuSample = { node: (user + system) / 1000, temporal: 0, postgres: 0 };
  let stats: { pid: number; ppid: number; comm: string; ms: number }[];
  try {
    const tick = 1000 / 100; // USER_HZ is 100 on Linux
    stats = fs
      .readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .flatMap((pid) => {
        try {
          const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
          const comm = text.slice(text.indexOf('(') + 1, text.lastIndexOf(')'));
          const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
          // utime, stime, cutime, cstime: a backend that exited moved into its parent's c-times.
          const ms = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * tick;
          return [{ pid: Number(pid), ppid: Number(fields[1]), comm, ms }];
        } catch {
          return []; // exited while we looked
        }
      });
  } catch {
    return sample;
  }
  const children = new Map<number, typeof stats>();
  for (const s of stats) children.set(s.ppid, [...(children.get(s.ppid) ?? []), s]);
  const walk = (pid: number): void => {
    for (const child of children.get(pid) ?? []) {
      // The dev server is the `temporal` CLI; the full server is go install's `server` (scripts/lib/temporal-server.ts).
      if (child.comm.startsWith('temporal') || child.comm === 'server') sample.temporal += child.ms;
      else if (child.comm.startsWith('postgres')) sample.postgres += child.ms;
      walk(child.pid);
    }
  };
  walk(process.pid);
  return sample;
}

/** CPU milliseconds per unit of work between two samples. */
export function cpuPer(before: CpuSample, after: CpuSample, units: number): CpuSample & { total: number } {
  const per = (key: keyof CpuSample) => Math.round((after[key] - before[key]) / units);
  const node = per('node');
  const temporal = per('temporal');
  const postgres = per('postgres');
  return { node, temporal, postgres, total: node + temporal + postgres };
}

/**
 * CPU milliseconds one process (all its threads, and its children that exited) has spent so far,
 * read from /proc/<pid>/stat; 0 where there is no /proc or the process is gone. For the
 * processes a bench starts itself, e.g. the API and the worker as child processes (bench/load).
 */
export function cpuMsOf(pid: number): number {
  try {
    const text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) * (1000 / 100);
  } catch {
    return 0;
  }
}

/** Resident set size of one process in MiB (VmRSS in /proc/<pid>/status); null where unreadable. */
export function rssMiBOf(pid: number): number | null {
  try {
    const line = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB/m);
    return line ? Math.round((Number(line[1]) / 1024) * 10) / 10 : null;
  } catch {
    return null;
  }
}
