import { bundleWorkflowCode, type WorkflowBundleOption } from '@temporalio/worker';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Written by `npm run build` beside dist/workflow-bundle.js: the same workflow code with the replay-trace interceptor. */
export const REPLAY_BUNDLE_FILE = 'workflow-replay-bundle.js';

const quiet = { trace() {}, debug() {}, info() {}, warn() {}, error: (m: string) => console.error(m), log() {} };

/** The ticket workflows (or another workflows module) bundled with the replay-trace interceptor. */
export async function bundleForReplay(workflowsPath = require.resolve('../../../../../workflows')): Promise<{ code: string }> {
  return bundleWorkflowCode({
    workflowsPath,
    workflowInterceptorModules: [require.resolve('../../../../../workflows/replay-trace.interceptor')],
    logger: quiet,
  });
}

let fromSource: Promise<WorkflowBundleOption> | null = null;

/**
 * The current workflow code, for replay: the prebuilt replay bundle next to WORKFLOW_BUNDLE_PATH
 * in production (`npm run build` writes both), else bundled from workflows/ once per process
 * (a second or two, on the first replay).
 */
export function currentReplayBundle(workflowBundlePath: string | null): Promise<WorkflowBundleOption> {
  if (workflowBundlePath) {
    const beside = path.join(path.dirname(workflowBundlePath), REPLAY_BUNDLE_FILE);
    if (fs.existsSync(beside)) return Promise.resolve({ codePath: beside });
  }
  fromSource ??= bundleForReplay().catch((error) => {
    fromSource = null;
    throw error;
  });
  return fromSource;
}
