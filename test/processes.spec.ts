import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { freePort } from '../scripts/lib/free-port';
import { waitFor } from './support/wait-for';

const ROOT = path.resolve(__dirname, '..');

/** The process and all its descendants (by parent pid), so a test can prove none is left behind. */
function processTree(pid: number): number[] {
  const out = execFileSync('ps', ['-eo', 'pid=,ppid='], { encoding: 'utf8' });
  const children = new Map<number, number[]>();
  for (const line of out.trim().split('\n')) {
    const [child, parent] = line.trim().split(/\s+/).map(Number);
    children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  const all: number[] = [];
  const visit = (p: number) => {
    all.push(p);
    for (const c of children.get(p) ?? []) visit(c);
  };
  visit(pid);
  return all;
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    // A zombie still answers kill(0); treat it as gone.
    return !/^Z/.test(execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' }).trim());
  } catch {
    return false;
  }
};

function run(entry: string, env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let output = '';
  const child = spawn(process.execPath, ['-r', '@swc-node/register', path.join(ROOT, entry)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

/**
 * The real processes, as an operator runs them: the worker drains and exits 0 on SIGTERM,
 * and `npm start`'s dev stack comes up healthy, takes a ticket and leaves nothing behind on Ctrl-C.
 */
describe('processes', () => {
  it('the worker process drains on SIGTERM and exits 0 without IllegalStateError', async () => {
    const worker = run('apps/worker/src/main.ts', {
      DATABASE_URL: process.env.TEKSIN_TEST_DATABASE_URL!,
      TEMPORAL_ADDRESS: process.env.TEKSIN_TEST_TEMPORAL_ADDRESS!,
      TEMPORAL_TASK_QUEUE: 'test-worker-process',
      WORKFLOW_BUNDLE_PATH: process.env.TEKSIN_TEST_WORKFLOW_BUNDLE!,
    });
    try {
      await waitFor(() => worker.output().includes('worker ready'), { timeoutMs: 60_000, what: 'the worker to be ready' });
      worker.child.kill('SIGTERM');
      expect(await worker.exited).toBe(0);
      expect(worker.output()).toContain('draining the worker');
      expect(worker.output()).toContain('worker stopped');
      expect(worker.output()).not.toMatch(/IllegalStateError|UnhandledPromiseRejection/);
    } finally {
      worker.child.kill('SIGKILL');
    }
  }, 90_000);

  it('npm start: the dev stack serves /health, takes a ticket, signs a demo account in, serves the console, and Ctrl-C leaves no process behind', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'teksin-devstack-'));
    const port = await freePort();
    const temporalPort = await freePort([port]);
    const uiPort = await freePort([port, temporalPort]);
    const stack = run('scripts/dev-stack.ts', {
      TEKSIN_DATA_DIR: dataDir,
      PORT: String(port),
      TEMPORAL_PORT: String(temporalPort),
      TEMPORAL_UI_PORT: String(uiPort),
      DATABASE_URL: '',
      TEMPORAL_ADDRESS: '',
    });
    let tree: number[] = [];
    try {
      await waitFor(() => stack.output().includes('ready in'), { timeoutMs: 120_000, what: 'the dev stack to be ready' });
      expect(stack.output()).toContain(`API          http://127.0.0.1:${port} (this machine only`);
      expect(stack.output()).toContain(`Temporal UI  http://127.0.0.1:${uiPort}`);
      // Security review item 11: the demo accounts' password is public, so the API listens on
      // loopback only: another interface of this machine gets no answer.
      const external = Object.values(os.networkInterfaces()).flat().find((a) => a?.family === 'IPv4' && !a.internal);
      if (external) await expect(fetch(`http://${external.address}:${port}/health`)).rejects.toThrow();

      const health = await fetch(`http://localhost:${port}/health`);
      expect(health.status).toBe(200);
      const created = await fetch(`http://localhost:${port}/tickets`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ channel: 'WEB', type: 'REQUEST', category: 'PARK_MAINTENANCE', requester: { name: 'Can', phone: '0534 222 33 44' }, description: 'Parktaki bank kırık.' }),
      });
      expect(created.status).toBe(201);
      const { number } = (await created.json()) as { number: string };
      await waitFor(() => stack.output().includes(`ticket-${number}:RECEIVED:1`), { what: 'the acknowledgement SMS in the worker log' });
      expect((await fetch(`http://localhost:${uiPort}/`)).status).toBe(200);

      // npm start seeds the demo accounts: sign in as one, as the README's walk-through does.
      const login = await fetch(`http://localhost:${port}/auth/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ username: 'coord.ayse', password: 'teksin-demo' }),
      });
      expect(login.status).toBe(200);
      const { accessToken } = (await login.json()) as { accessToken: string };
      const ticket = await fetch(`http://localhost:${port}/tickets/${number}`, { headers: { Authorization: `Bearer ${accessToken}` } });
      expect(((await ticket.json()) as { requester?: unknown }).requester).toBeDefined(); // the staff view
      // The staff console (built on first start when missing) answers a deep link.
      const consolePage = await fetch(`http://localhost:${port}/console/tickets/${number}`);
      expect(consolePage.status).toBe(200);
      expect(await consolePage.text()).toContain('<div id="root">');

      tree = processTree(stack.child.pid!);
      expect(tree.length).toBeGreaterThanOrEqual(5); // stack, postgres, temporal, worker, api
      stack.child.kill('SIGINT'); // what Ctrl-C sends
      expect(await stack.exited).toBe(0);
      await waitFor(() => tree.every((pid) => !alive(pid)), { timeoutMs: 30_000, what: 'every process of the stack to exit' });
    } finally {
      // A failure before the tree was taken must not leave the stack running (jest would wait for it).
      if (tree.length === 0 && stack.child.pid) tree = processTree(stack.child.pid);
      for (const pid of tree) if (alive(pid)) process.kill(pid, 'SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
