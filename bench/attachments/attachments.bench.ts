/**
 * bench/attachments: what a phone photo costs. The issue asks three figures: the time from
 * upload to thumbnail for a 12-megapixel photo, the API's and the worker's memory while 20
 * uploads are in flight, and the storage used per ticket.
 *
 *   npm run bench:attachments                 (ATTACHMENT_BENCH_RUNS=3, ATTACHMENT_BENCH_CONCURRENT=20)
 *
 * On the fault suite's stack (test/faults/support/fault-stack.ts): embedded PostgreSQL, the
 * Temporal dev server, and the API and the worker as child processes, as in production, so their
 * RSS is read from /proc every 20 ms. The photo is made here: 4000 × 3000 pixels of noise over a
 * gradient (noise is what makes a phone photo's JPEG big: about 5–9 MB at quality 92), with EXIF
 * GPS like a phone writes it. Each upload is the agent's INTAKE photo on a ticket of its own,
 * through POST /tickets/:number/attachments: sniffing, decoding, orienting, re-encoding, the
 * thumbnail, storing both, and the workflow's `attach` Update all happen before the 201.
 *
 * Phases: one upload alone (the latency of one photo, ATTACHMENT_BENCH_SINGLES times), then
 * ATTACHMENT_BENCH_CONCURRENT uploads at once (peak RSS above the idle API and worker). Storage
 * per ticket is the bytes under the attachment directory divided by the tickets with a photo.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import sharp from 'sharp';
import { rssMiBOf } from '../lifecycle/cpu-usage';
import { FaultStack } from '../../test/faults/support/fault-stack';
import { intake, phoneOf } from '../../test/faults/support/lifecycle';

const RUNS = Number(process.env.ATTACHMENT_BENCH_RUNS ?? 3);
const CONCURRENT = Number(process.env.ATTACHMENT_BENCH_CONCURRENT ?? 20);
const SINGLES = Number(process.env.ATTACHMENT_BENCH_SINGLES ?? 5);
const AGENT = 'agent.elif';

/** A 12-megapixel JPEG as a phone makes it: detail everywhere (noise), EXIF with a GPS position. */
async function phonePhoto(): Promise<Buffer> {
  const width = 4000;
  const height = 3000;
  const pixels = Buffer.alloc(width * height * 3);
  let seed = 12345;
  for (let i = 0; i < pixels.length; i += 3) {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const x = (i / 3) % width;
    const noise = (seed >>> 24) & 0x3f;
    pixels[i] = ((x * 255) / width + noise) & 0xff;
    pixels[i + 1] = (128 + noise) & 0xff;
    pixels[i + 2] = (255 - (x * 255) / width + noise) & 0xff;
  }
  return sharp(pixels, { raw: { width, height, channels: 3 } })
    .jpeg({ quality: 92 })
    .withExif({ IFD0: { Make: 'Bench', Model: 'Phone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '36/1 48/1 4356/100', GPSLongitudeRef: 'E', GPSLongitude: '34/1 38/1 2940/100' } })
    .toBuffer();
}

async function upload(stack: FaultStack, number: string, photo: Buffer, auth: Record<string, string>): Promise<number> {
  const form = new FormData();
  form.append('kind', 'INTAKE');
  form.append('file', new Blob([photo], { type: 'image/jpeg' }), 'IMG_0001.jpg');
  const started = performance.now();
  const res = await fetch(`http://127.0.0.1:${stack.apiPort}/tickets/${number}/attachments`, { method: 'POST', headers: auth, body: form, signal: AbortSignal.timeout(120_000) });
  const body = (await res.json()) as { thumbnailUrl?: string };
  if (res.status !== 201 || !body.thumbnailUrl) throw new Error(`upload to ${number} answered ${res.status} ${JSON.stringify(body)}`);
  return performance.now() - started;
}

/** Peak RSS of the given processes while `work` runs, sampled every 20 ms. */
async function peakRss<T>(pids: Record<string, number>, work: () => Promise<T>): Promise<{ result: T; peak: Record<string, number> }> {
  const peak: Record<string, number> = Object.fromEntries(Object.entries(pids).map(([name, pid]) => [name, rssMiBOf(pid) ?? 0]));
  const timer = setInterval(() => {
    for (const [name, pid] of Object.entries(pids)) peak[name] = Math.max(peak[name], rssMiBOf(pid) ?? 0);
  }, 20);
  try {
    return { result: await work(), peak };
  } finally {
    clearInterval(timer);
  }
}

function bytesUnder(dir: string): { bytes: number; files: number } {
  let bytes = 0;
  let files = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    bytes += fs.statSync(path.join(entry.parentPath, entry.name)).size;
    files++;
  }
  return { bytes, files };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function run(runIndex: number, photo: Buffer) {
  const stack = await FaultStack.start({ fullServer: false });
  const attachmentDir = path.join(stack.workDir, 'attachments');
  try {
    const env = { ATTACHMENT_DIR: attachmentDir, ATTACHMENT_SWEEP_INTERVAL: '0' };
    const worker = await stack.startWorker(env);
    const api = await stack.startApi(env);
    const auth = await stack.bearer(AGENT);
    const numbers: string[] = [];
    for (let i = 0; i < SINGLES + CONCURRENT; i++) numbers.push((await intake(stack, phoneOf(700 + runIndex, i))).number);
    // The first upload warms sharp and the code paths; it is not counted.
    await upload(stack, numbers[0], photo, auth);
    const singles: number[] = [];
    for (const number of numbers.slice(1, SINGLES)) singles.push(await upload(stack, number, photo, auth));

    const pids = { api: api.child.pid!, worker: worker.child.pid! };
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const idle = { api: rssMiBOf(pids.api) ?? 0, worker: rssMiBOf(pids.worker) ?? 0 };
    const wallStart = performance.now();
    const { result: concurrent, peak } = await peakRss(pids, () => Promise.all(numbers.slice(SINGLES).map((n) => upload(stack, n, photo, auth))));
    const wall = performance.now() - wallStart;
    const stored = bytesUnder(attachmentDir);
    const tickets = numbers.length;
    return {
      run: runIndex + 1,
      singleMedianMs: Math.round(median(singles)),
      singleMaxMs: Math.round(Math.max(...singles)),
      concurrentMedianMs: Math.round(median(concurrent)),
      concurrentMaxMs: Math.round(Math.max(...concurrent)),
      concurrentWallMs: Math.round(wall),
      idleRssMiB: idle,
      peakRssMiB: peak,
      storedKiBPerTicket: Math.round(stored.bytes / tickets / 1024),
      filesPerTicket: stored.files / tickets,
    };
  } finally {
    await stack.close();
  }
}

async function main() {
  const photo = await phonePhoto();
  console.log(`photo: 4000 × 3000 JPEG, ${(photo.length / 1024 / 1024).toFixed(1)} MiB, with EXIF GPS; ${CONCURRENT} concurrent uploads, ${SINGLES - 1} single ones counted`);
  const results = [];
  for (let i = 0; i < RUNS; i++) {
    const result = await run(i, photo);
    console.log(JSON.stringify(result));
    results.push(result);
  }
  console.log('\n| run | one upload to thumbnail, median / max | 20 at once: each, median / max; all, wall | API RSS idle → peak | worker RSS idle → peak | stored per ticket |');
  console.log('|---:|---:|---:|---:|---:|---:|');
  for (const r of results) {
    console.log(
      `| ${r.run} | ${r.singleMedianMs} / ${r.singleMaxMs} ms | ${r.concurrentMedianMs} / ${r.concurrentMaxMs} ms; ${r.concurrentWallMs} ms | ${r.idleRssMiB.api} → ${r.peakRssMiB.api} MiB | ${r.idleRssMiB.worker} → ${r.peakRssMiB.worker} MiB | ${r.storedKiBPerTicket} KiB (${r.filesPerTicket} files) |`,
    );
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
