/*
 * `npm run staff:password -- <staff id>`: sets the password of an existing staff account, read
 * from standard input (first line), so it stays out of the shell history and the process list:
 *
 *   read -rs PW && printf '%s\n' "$PW" | npm run -s staff:password -- coord.ayse
 *   node dist/libs/database/src/set-password.cli.js coord.ayse < password.txt      (in the image)
 *
 * `--clear` instead removes the password: the account can then sign in only through the OIDC issuer.
 */
import 'reflect-metadata';
import { loadConfig } from '../../config/src';
import { createDataSource } from './data-source';
import { hashPassword } from './password';
import { revokeSessionsOf } from './sessions.repository';

const MIN_LENGTH = 12;

async function readFirstLine(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) {
    text += chunk;
    if (text.includes('\n')) break;
  }
  return text.split(/\r?\n/)[0];
}

async function main(): Promise<void> {
  const [staffId, flag] = process.argv.slice(2);
  if (!staffId || (flag && flag !== '--clear')) throw new Error('usage: staff:password -- <staff id> [--clear]   (the password on standard input)');
  let passwordHash: string | null = null;
  if (flag !== '--clear') {
    const password = await readFirstLine();
    if (password.length < MIN_LENGTH) throw new Error(`the password must be at least ${MIN_LENGTH} characters`);
    passwordHash = await hashPassword(password);
  }
  const config = loadConfig();
  const dataSource = await createDataSource(config.databaseUrl, false, 1).initialize();
  try {
    const [, updated] = await dataSource.query('UPDATE staff SET password_hash = $2 WHERE id = $1', [staffId, passwordHash]);
    if (!updated) throw new Error(`no staff member ${staffId}`);
    // A new or removed password ends the account's open sessions.
    await revokeSessionsOf(dataSource, staffId, 'PASSWORD_CHANGED');
    console.log(passwordHash ? `password of ${staffId} set; their sessions were ended` : `password of ${staffId} removed; their sessions were ended`);
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
