import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..');
export const CONSOLE_INDEX = path.join(root, 'apps', 'console', 'dist', 'index.html');

/** Builds the staff console (vite build → apps/console/dist), about two seconds. */
export function buildConsole(): void {
  execFileSync(process.execPath, [path.join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--config', path.join(root, 'apps', 'console', 'vite.config.mts'), '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
    // NODE_ENV=production whatever the caller's (jest sets test): React's production build.
    env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
}

/** `npm start`: builds the console on first start (a later `npm run build` rebuilds it). */
export function buildConsoleIfMissing(say: (line: string) => void): void {
  if (existsSync(CONSOLE_INDEX)) return;
  say('building the staff console (first start; npm run build rebuilds it)');
  buildConsole();
}
