import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * A repository per aggregate is the only place that reads and writes its tables (issue 24). A
 * lint rule would need a custom plugin to see SQL text, so this test reads the source tree
 * (apps, activities, libs, workflows; not tests, not migrations) instead.
 */
const ROOT = join(__dirname, '..', '..', '..');
const TREES = ['apps', 'activities', 'libs', 'workflows'];
const SKIP_DIRS = new Set(['node_modules', 'dist', 'migrations']);

interface Owner {
  table: string;
  patterns: RegExp[];
  /** Files (or folders, ending in /) allowed to name the table, each with why. */
  allowed: Record<string, string>;
}

const ENTITIES = 'libs/database/src/entities/';

const OWNERS: Owner[] = [
  {
    table: 'sms_outbox',
    patterns: [/\bsms_outbox\b/, /\bSmsOutboxEntity\b/],
    allowed: {
      'libs/database/src/outbox.repository.ts': 'the repository',
      [ENTITIES]: 'the entity',
      'libs/database/src/personal-data.repository.ts': 'the KVKK anonymisation: one statement over every table with personal data',
    },
  },
  {
    table: 'contacts',
    patterns: [/\bFROM\s+contacts\b/, /\bINTO\s+contacts\b/, /\bUPDATE\s+contacts\b/, /\bContactEntity\b/],
    allowed: {
      'libs/database/src/contacts.repository.ts': 'the repository',
      [ENTITIES]: 'the entity',
      'libs/database/src/personal-data.repository.ts': 'the KVKK anonymisation: one statement with its erasure record',
      'apps/api/src/analysis/analysis.service.ts': "the analysis store's figures (their own SQL, to be redesigned with that store)",
    },
  },
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return SKIP_DIRS.has(entry.name) ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !/\.(spec|test)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const files = TREES.flatMap((tree) => sourceFiles(join(ROOT, tree))).map((path) => ({ path: relative(ROOT, path).split(sep).join('/'), text: readFileSync(path, 'utf8') }));

describe('table owners', () => {
  it('reads a source tree (the walk finds the repositories)', () => {
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining(['libs/database/src/outbox.repository.ts', 'libs/database/src/contacts.repository.ts']));
  });

  describe.each(OWNERS)('$table', ({ patterns, allowed }) => {
    const isAllowed = (path: string) => Object.keys(allowed).some((entry) => (entry.endsWith('/') ? path.startsWith(entry) : path === entry));

    it('is named only by its repository and the allowed exceptions', () => {
      const offenders = files.filter((f) => !isAllowed(f.path) && patterns.some((p) => p.test(f.text))).map((f) => f.path);
      expect(offenders).toEqual([]);
    });

    it('allows only files that exist', () => {
      expect(Object.keys(allowed).filter((entry) => !existsSync(join(ROOT, entry)))).toEqual([]);
    });
  });
});
