import { isGrpcServiceError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';

const UNREACHABLE = /UNAVAILABLE|DEADLINE|connect/i;

/**
 * The gRPC statuses with which Temporal answers "not now" rather than "no": overloaded
 * (RESOURCE_EXHAUSTED, e.g. too many requests or in-flight updates), a conflict to retry
 * (ABORTED), a workflow not ready for an update because its last task failed or timed out
 * (FAILED_PRECONDITION), or a failure of its own (INTERNAL, UNKNOWN).
 */
const NOT_NOW: Readonly<Record<number, string>> = { 2: 'UNKNOWN', 8: 'RESOURCE_EXHAUSTED', 9: 'FAILED_PRECONDITION', 10: 'ABORTED', 13: 'INTERNAL' };

/** The error and its `cause` chain: the client wraps gRPC failures (e.g. ServiceError "Failed to start Workflow" around "14 UNAVAILABLE"). */
function* causes(error: unknown): Generator<unknown> {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) yield e;
}

/** Whether an error means Temporal could not be reached or did not answer in time (as opposed to answering "no"). */
export function isTemporalUnreachable(error: unknown): boolean {
  for (const e of causes(error)) {
    if (e instanceof WorkflowUpdateRPCTimeoutOrCancelledError) return true;
    if (UNREACHABLE.test(e instanceof Error ? e.message : String(e))) return true;
  }
  return false;
}

/** The status name when Temporal answered "not now" (see NOT_NOW), else null. */
export function temporalNotNow(error: unknown): string | null {
  for (const e of causes(error)) if (isGrpcServiceError(e) && NOT_NOW[e.code]) return NOT_NOW[e.code];
  return null;
}
