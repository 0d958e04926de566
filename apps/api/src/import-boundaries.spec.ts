import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The API's import rules in eslint.config.mjs, proven on code that breaks them: the API never
 * imports activities/, and controllers never touch the database (TypeORM, pg, libs/database).
 * Each sample is linted as if it were a file at that path, without writing it. ESLint runs in a
 * child process: it loads eslint.config.mjs with import(), which Jest's CommonJS sandbox refuses.
 */
const LINT = `
const { ESLint } = require('eslint');
let input = '';
process.stdin.on('data', (d) => (input += d)).on('end', async () => {
  const samples = JSON.parse(input);
  const eslint = new ESLint({ cwd: process.cwd() });
  const restricted = (r) => r.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  const out = [];
  for (const s of samples) out.push(restricted((await eslint.lintText(s.code, { filePath: s.filePath }))[0]));
  process.stdout.write(JSON.stringify(out));
});`;

interface Sample {
  filePath: string;
  code: string;
}

/** The no-restricted-imports messages of each sample (the code as it is: `npm run lint`). */
const lint = (samples: Sample[]): string[][] =>
  JSON.parse(execFileSync(process.execPath, ['-e', LINT], { cwd: join(__dirname, '../../..'), input: JSON.stringify(samples), encoding: 'utf8' }));

const ACTIVITIES = 'apps/api never imports activities/';
const DATABASE = 'Controllers do not touch the database';

const repositoryCall = `
import { Controller, Get } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { TicketEntity } from '../../../../libs/database/src/entities';

@Controller('sample')
export class SampleController {
  constructor(private readonly dataSource: DataSource) {}

  @Get()
  list() {
    return this.dataSource.getRepository(TicketEntity).find();
  }
}
`;

/** Each sample with the rule messages it must get (none: allowed). */
const cases: Array<[Sample, string[]]> = [
  // apps/api never imports activities/: a file, the folder's index, or only a type.
  [{ filePath: 'apps/api/src/tickets/sample.service.ts', code: `import { trackingUrl } from '../../../../activities/tracking-link';\nexport const f = trackingUrl;\n` }, [ACTIVITIES]],
  [{ filePath: 'apps/api/src/tickets/sample.service.ts', code: `import { NotificationActivities } from '../../../../activities';\nexport const f = NotificationActivities;\n` }, [ACTIVITIES]],
  [{ filePath: 'apps/api/src/tickets/sample.service.ts', code: `import type { SendNotificationInput } from '../../../../activities/ticket-activities.contract';\nexport type F = SendNotificationInput;\n` }, [ACTIVITIES]],
  [{ filePath: 'apps/api/src/tickets/sample.controller.ts', code: `import { NotificationActivities } from '../../../../activities';\nexport const f = NotificationActivities;\n` }, [ACTIVITIES]],
  // A controller that calls a repository through TypeORM itself.
  [{ filePath: 'apps/api/src/sample/sample.controller.ts', code: repositoryCall }, [DATABASE, DATABASE]],
  ...['@nestjs/typeorm', 'pg', '../../../../libs/database/src', '../../../../libs/database/src/organisation.repository', '../../../../libs/database/src/data-source'].map(
    (source): [Sample, string[]] => [{ filePath: 'apps/api/src/sample/sample.controller.ts', code: `import * as db from '${source}';\nexport const f = db;\n` }, [DATABASE]],
  ),
  // Allowed: a service uses TypeORM and repositories, a controller calls its service.
  [{ filePath: 'apps/api/src/sample/sample.service.ts', code: repositoryCall }, []],
  [{ filePath: 'apps/api/src/sample/sample.controller.ts', code: `import { SampleService } from './sample.service';\nexport const f = SampleService;\n` }, []],
];

describe('import boundaries of apps/api (eslint.config.mjs)', () => {
  it('refuses an API import from activities/ and a controller that touches the database; allows services to', () => {
    const messages = lint(cases.map(([sample]) => sample));
    const got = messages.map((found, i) => ({ sample: cases[i][0], messages: found.map((m) => (m.includes(ACTIVITIES) ? ACTIVITIES : m.includes(DATABASE) ? DATABASE : m)) }));
    expect(got).toEqual(cases.map(([sample, expected]) => ({ sample, messages: expected })));
  }, 60000);
});
