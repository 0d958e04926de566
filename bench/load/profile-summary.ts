/**
 * Summarises V8 CPU profiles (`node --cpu-prof`, e.g. from `LOAD_CPU_PROF_DIR=… npm run
 * bench:load`): self time by function and by package or project folder, the top rows of each.
 *
 *   node -r @swc-node/register bench/load/profile-summary.ts /tmp/prof/CPU.*.cpuprofile [--top 25]
 *
 * Self time is where the CPU was when sampled; "by package" adds up every function of a package
 * (node_modules/<name>), of the project's folders (apps/api, activities, libs/domain, …) or of
 * Node itself (node:…), which is what says which layer a lifecycle pays for.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

const ROOT = path.resolve(__dirname, '../..');

/** The layer a script belongs to: a package, a project folder, Node's own code, or V8's (GC, idle, program). */
function layerOf(url: string, functionName: string): string {
  if (!url) return `(${functionName || 'native'})`;
  if (url.startsWith('node:')) return 'node:internal';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const rest = file.slice(nm + '/node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const rel = path.relative(ROOT, file);
  if (rel.startsWith('..')) return file;
  const parts = rel.split(path.sep);
  return parts[0] === 'apps' || parts[0] === 'libs' ? parts.slice(0, 2).join('/') : parts[0];
}

function summarise(file: string, top: number): void {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const byFunction = new Map<string, number>();
  const byLayer = new Map<string, number>();
  let busy = 0;
  for (const [id, us] of selfUs) {
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    const layer = layerOf(url, functionName);
    if (functionName === '(idle)') continue;
    busy += us;
    const name = `${functionName || '(anonymous)'} ${url ? `${path.relative(ROOT, url.replace(/^file:\/\//, ''))}:${lineNumber + 1}` : ''}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
    byLayer.set(layer, (byLayer.get(layer) ?? 0) + us);
  }
  const wallMs = (profile.endTime - profile.startTime) / 1000;
  const table = (title: string, rows: Map<string, number>) => {
    console.log(`\n${title}`);
    console.log('| self ms | % of busy | where |\n|---:|---:|---|');
    for (const [name, us] of [...rows].sort((a, b) => b[1] - a[1]).slice(0, top)) {
      console.log(`| ${(us / 1000).toFixed(0)} | ${((100 * us) / busy).toFixed(1)} | ${name.replace(/\|/g, '\\|')} |`);
    }
  };
  console.log(`\n## ${path.basename(file)}: ${(busy / 1000).toFixed(0)} ms busy of ${wallMs.toFixed(0)} ms sampled`);
  table('By layer (package, project folder, Node, V8):', byLayer);
  table('By function (self time):', byFunction);
}

const args = process.argv.slice(2);
const topAt = args.indexOf('--top');
const top = topAt >= 0 ? Number(args.splice(topAt, 2)[1]) : 25;
if (!args.length) {
  console.error('usage: profile-summary.ts <file.cpuprofile>… [--top N]');
  process.exit(2);
}
for (const file of args) summarise(file, top);
