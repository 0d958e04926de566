import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DomainErrorCode } from '../../../libs/domain/src';
import { ApiErrorCode } from './common/api-error-code';

/**
 * The docs say what the code does: a route, an error code or an environment variable the code
 * has and the docs lack fails here. The routes come from the console's generated client
 * (apps/console/src/api/schema.d.ts: the OpenAPI document, which test/openapi-routes.spec.ts
 * checks against every route the app registers, and `npm run typecheck` against the controllers).
 */
const ROOT = join(__dirname, '..', '..', '..');
const read = (path: string) => readFileSync(join(ROOT, path), 'utf8');
const README = read('README.md');
const DOCS = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .map((f) => read(`docs/${f}`))
  .join('\n');
const ARCHITECTURE = read('docs/architecture.md');

/** Every .ts file under these folders, without tests. */
function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.tsx?$/.test(e.name) && !/\.spec\.tsx?$|\.d\.ts$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** The rows of README's configuration tables: `| \`NAME\` | default | meaning |`. */
const documentedVariables = new Set([...README.matchAll(/^\| `([A-Z][A-Z0-9_]*)`(?:, `([A-Z][A-Z0-9_]*)`)* \|/gm)].flatMap((m) => m.slice(1).filter(Boolean)));

describe('the docs name what the code has', () => {
  it('every environment variable the code reads is in the README’s configuration tables', () => {
    const config = read('libs/config/src/app-config.ts');
    const read_ = new Set<string>();
    // libs/config reads process.env through helpers named by the variable: int(env, 'PORT', …), env.NAME.
    for (const m of config.matchAll(/\(env, '([A-Z][A-Z0-9_]+)'|\benv\.([A-Z][A-Z0-9_]+)/g)) read_.add(m[1] ?? m[2]);
    // Anything else that reads process.env (npm start, the scripts, Twilio's region).
    for (const file of ['apps', 'libs', 'activities', 'workflows', 'scripts'].flatMap(sources)) {
      for (const m of readFileSync(file, 'utf8').matchAll(/process\.env\.([A-Z][A-Z0-9_]+)|process\.env\[['"]([A-Z][A-Z0-9_]+)['"]\]/g)) read_.add(m[1] ?? m[2]);
    }
    // The switches the npm scripts set (npm run console:screenshots sets CONSOLE_SCREENSHOTS=1).
    const scripts = Object.values((JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts).join('\n');
    for (const m of scripts.matchAll(/(?:^|\s)([A-Z][A-Z0-9_]+)=/g)) read_.add(m[1]);
    // The operating system's, and Vite's own warning switch (not ours to configure).
    for (const notOurs of ['PATH', 'VITE_CONFIG_NATIVE_IGNORE_WARNING']) read_.delete(notOurs);

    expect(read_.size).toBeGreaterThan(60);
    expect([...read_].filter((name) => !documentedVariables.has(name)).sort()).toEqual([]);
  });

  it('every error code of ApiErrorCode and DomainErrorCode is in architecture.md’s error table', () => {
    const table = new Set([...ARCHITECTURE.matchAll(/^\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \| \d{3} \|/gm)].flatMap((m) => [...m[1].matchAll(/`([A-Z_]+)`/g)].map((c) => c[1])));
    const codes = [...Object.values(ApiErrorCode), ...Object.values(DomainErrorCode)];
    expect(codes.length).toBeGreaterThan(30);
    expect(codes.filter((code) => !table.has(code)).sort()).toEqual([]);
  });

  it('every route of the OpenAPI document is named in README.md or docs/', () => {
    const client = read('apps/console/src/api/schema.d.ts');
    const paths = [...client.matchAll(/^ {4}"(\/[^"]*)": \{$/gm)].map((m) => m[1]);
    expect(paths.length).toBeGreaterThan(50);
    const text = `${README}\n${DOCS}`;
    // A parameter is written {number}, :number or <number> (or a real value: 2026-000123, json).
    const mentioned = (path: string) => {
      const pattern = path
        .split(/\{[^}]+\}/)
        .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
        .join('(?:\\{[^}\\s]+\\}|:[A-Za-z_]+|<[^>\\s]+>|[\\w-]+)');
      return new RegExp(`${pattern}(?![\\w/-]*[\\w-])`).test(text) || new RegExp(`${pattern}(?=[\\s\`)?,.;:|]|$)`, 'm').test(text);
    };
    // The commands are one route pattern, POST /tickets/<number>/<route>, and a row each in architecture.md's command table.
    const commandRow = (path: string) => {
      const route = /^\/tickets\/\{number\}\/([a-z-]+)$/.exec(path)?.[1];
      return route !== undefined && ARCHITECTURE.includes('POST /tickets/<number>/<route>') && new RegExp(`^\\| \`${route}\` \\| \`\\w+\` \\|`, 'm').test(ARCHITECTURE);
    };
    expect(paths.filter((path) => !mentioned(path) && !commandRow(path))).toEqual([]);
  });
});
