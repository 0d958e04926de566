import * as path from 'node:path';
import { findOnPath, goInstallCached, isExecutableFile, runGo, teksinCacheDir } from './temporal-cli';

/**
 * Finds (or builds) SeaweedFS's `weed`, the S3-compatible object store the attachment store's
 * integration tests run against (test/support/seaweedfs.ts) and docker-compose.yml runs in
 * production shape. Found like the Temporal binaries (scripts/lib/temporal-cli.ts): an explicit
 * path, then the per-user cache, then a build with Go from the module proxy, cached.
 *
 * `weed` on PATH is NOT used: SeaweedFS changes its flags and S3 behaviour often, and the tests
 * must run the version pinned here.
 *
 * Why not `go install …/weed@version`: SeaweedFS's go.mod has a replace directive (go-bip39), and
 * Go refuses to `go install` a module that has one. So the module is downloaded into the module
 * cache (checked against the checksum database) and built there, with its own go.sum checking
 * every dependency: the same binary `go install` would make if it could.
 */

export const SEAWEEDFS_MODULE = 'github.com/seaweedfs/seaweedfs';
/**
 * The SeaweedFS commit we build (2026-11-09; `weed version` says 4.53, the docker-compose.yml image
 * tag), as the pseudo-version the module proxy serves it under: SeaweedFS's release tags are not
 * Go module versions (`4.53`, not `v4.53.0`). A cold build takes about 20 minutes on 2 cores.
 */
export const SEAWEEDFS_VERSION = 'v0.0.0-20261109003541-7506e5f91cd6';

const EXE = process.platform === 'win32' ? '.exe' : '';

export interface WeedResolution {
  path: string;
  source: 'SEAWEEDFS_WEED_PATH' | 'cache' | 'built';
}

/** `<cache>/seaweedfs/<version>/weed`. */
export function cachedWeedPath(): string {
  return path.join(teksinCacheDir(), 'seaweedfs', SEAWEEDFS_VERSION, `weed${EXE}`);
}

/**
 * The `weed` binary to run, building it if needed (several minutes the first time; then it is
 * cached). Returns null when there is none and it cannot be built (no Go, or allowBuild false).
 */
export async function resolveWeed(opts: { log?: (msg: string) => void; allowBuild?: boolean } = {}): Promise<WeedResolution | null> {
  const log = opts.log ?? (() => undefined);

  const fromEnv = process.env.SEAWEEDFS_WEED_PATH;
  if (fromEnv) {
    if (!isExecutableFile(fromEnv)) {
      throw new Error(`SEAWEEDFS_WEED_PATH is set to "${fromEnv}", but that is not an executable file. Fix or unset SEAWEEDFS_WEED_PATH.`);
    }
    return { path: path.resolve(fromEnv), source: 'SEAWEEDFS_WEED_PATH' };
  }

  const cached = cachedWeedPath();
  if (isExecutableFile(cached)) return { path: cached, source: 'cache' };

  const go = findOnPath(`go${EXE}`);
  if (!go || opts.allowBuild === false) return null;
  const pkg = `${SEAWEEDFS_MODULE}/weed@${SEAWEEDFS_VERSION}`;
  await goInstallCached(
    go,
    {
      dir: path.dirname(cached),
      packages: [pkg],
      binaries: ['weed'],
      what: `SeaweedFS (${pkg})`,
      build: async (scratch) => {
        const moduleDir = await downloadModule(go, log);
        // -mod=readonly: the module cache is read-only, and a go.sum that does not cover a
        // dependency must fail the build rather than be completed from the network unchecked.
        await runGo(go, ['build', '-mod=readonly', '-trimpath', '-o', path.join(scratch, `weed${EXE}`), './weed'], { cwd: moduleDir, env: { GOFLAGS: '' } }, log);
      },
    },
    log,
  );
  return { path: cached, source: 'built' };
}

/** `go mod download` of the pinned SeaweedFS module: where its (read-only) source now lives. */
async function downloadModule(go: string, log: (msg: string) => void): Promise<string> {
  const output = await runGo(go, ['mod', 'download', '-json', `${SEAWEEDFS_MODULE}@${SEAWEEDFS_VERSION}`], { env: { GOFLAGS: '' } }, log);
  // stdout is one JSON object; stderr ("go: downloading …") is interleaved but has no braces.
  const json = output.slice(output.indexOf('{'), output.lastIndexOf('}') + 1);
  const info = JSON.parse(json) as { Dir?: string; Error?: string };
  if (info.Error || !info.Dir) throw new Error(`go mod download ${SEAWEEDFS_MODULE}@${SEAWEEDFS_VERSION}: ${info.Error ?? 'no directory reported'}`);
  return info.Dir;
}
