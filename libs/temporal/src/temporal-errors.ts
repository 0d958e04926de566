import { WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

const UNREACHABLE = /UNAVAILABLE|DEADLINE|connect/i;

/**
 * Whether an error means Temporal could not be reached or did not answer in time (as opposed
 * to answering "no"). Looks through the `cause` chain: the client wraps gRPC failures
 * (e.g. ServiceError "Failed to start Workflow" around "14 UNAVAILABLE").
 */
export function isTemporalUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (UNREACHABLE.test(e instanceof Error ? e.message : String(e))) return true;
  }
  return false;
}
