/**
 * Production build step: bundles workflows/ into dist/workflow-bundle.js so the worker starts
 * without webpack (WORKFLOW_BUNDLE_PATH=dist/workflow-bundle.js), and dist/workflow-replay-bundle.js
 * for the auditors' replay (the same code with the replay-trace interceptor).
 */
import { bundleWorkflowCode } from '@temporalio/worker';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { bundleForReplay, REPLAY_BUNDLE_FILE } from '../apps/api/src/audit/replay/replay-bundle';

async function main(): Promise<void> {
  const out = path.resolve(__dirname, '..', 'dist', 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows') });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, code);
  console.log(`workflow bundle written to ${path.relative(process.cwd(), out)} (${(code.length / 1024).toFixed(0)} KiB)`);
  // The same code with the replay-trace interceptor, for the auditors' replay and verify (apps/api/src/audit).
  const replay = path.join(path.dirname(out), REPLAY_BUNDLE_FILE);
  fs.writeFileSync(replay, (await bundleForReplay()).code);
  console.log(`replay bundle written to ${path.relative(process.cwd(), replay)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
