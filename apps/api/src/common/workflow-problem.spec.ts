import { Logger, NotFoundException } from '@nestjs/common';
import { ServiceError, WorkflowNotFoundError, WorkflowUpdateFailedError, WorkflowUpdateRPCTimeoutOrCancelledError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { DomainErrorCode, forbidden } from '../../../../libs/domain/src';
import { ApiErrorCode, statusOf } from './api-error-code';
import { toProblem } from './problem-details.filter';
import { ApiProblem } from './problem';
import { workflowProblem } from './workflow-problem';

const started = { number: '2026-000001', workflowStarted: true };

beforeAll(() => Logger.overrideLogger(false)); // the translation logs a warning for an unreachable Temporal

describe('workflowProblem: Temporal’s answer → the caller’s problem', () => {
  it('a domain refusal keeps its code and status, and names the field the rules name', () => {
    const refusal = ApplicationFailure.create({ message: 'not now', type: DomainErrorCode.INVALID_TRANSITION, nonRetryable: true, details: [{}] });
    expect(workflowProblem(new WorkflowUpdateFailedError('failed', refusal), started, 'command')).toMatchObject({ code: 'INVALID_TRANSITION', status: 409 });
    const content = ApplicationFailure.create({ message: 'same department', type: DomainErrorCode.INVALID_COMMAND, nonRetryable: true, details: [{ field: 'departmentId' }] });
    expect(workflowProblem(new WorkflowUpdateFailedError('failed', content), started, 'command')).toMatchObject({
      status: 400,
      extra: { errors: [{ field: 'departmentId', messages: ['same department'] }] },
    });
  });

  it('an update failure that is not a domain refusal stays a bug (500 by the filter)', () => {
    const error = new WorkflowUpdateFailedError('failed', ApplicationFailure.create({ message: 'boom', type: 'TypeError' }));
    expect(workflowProblem(error, started, 'command')).toBe(error);
  });

  it('no workflow: not started yet (TICKET_NOT_READY) or gone (TICKET_CLOSED)', () => {
    const missing = new WorkflowNotFoundError('not found', 'ticket-2026-000001', undefined);
    expect(workflowProblem(missing, { ...started, workflowStarted: false }, 'read')).toMatchObject({ code: 'TICKET_NOT_READY', status: 409 });
    expect(workflowProblem(missing, started, 'command')).toMatchObject({ code: 'TICKET_CLOSED', status: 409 });
  });

  it('no answer from Temporal: 503, and for a command the outcome is unknown', () => {
    const timeout = new WorkflowUpdateRPCTimeoutOrCancelledError('timed out');
    const command = workflowProblem(timeout, started, 'command') as ApiProblem;
    expect(command).toMatchObject({ code: 'WORKFLOW_UNAVAILABLE', status: 503 });
    expect(command.message).toMatch(/outcome is unknown/);
    expect((workflowProblem(new Error('14 UNAVAILABLE: connect ECONNREFUSED'), started, 'read') as ApiProblem).message).toMatch(/try again/);
  });

  /** What the client throws when Temporal answers an Update with a gRPC status: a ServiceError around the gRPC error. */
  const answered = (code: number, details: string) =>
    new ServiceError('Workflow Update failed', { cause: Object.assign(new Error(`${code} ${details}`), { code, details, metadata: {} }) });

  it.each([
    [8, 'RESOURCE_EXHAUSTED: limit on number of concurrent in-flight updates has been reached'],
    [9, 'FAILED_PRECONDITION: Unable to perform workflow execution update due to unexpected workflow task failure.'],
    [10, 'ABORTED: Workflow Update was aborted.'],
    [13, 'INTERNAL: persistence error'],
    [2, 'UNKNOWN: stream removed'],
  ])('Temporal answering "not now" (gRPC %i) is a 503 with the outcome unknown, never a 500', (code, details) => {
    const command = workflowProblem(answered(code, details), started, 'command') as ApiProblem;
    expect(command).toMatchObject({ code: 'WORKFLOW_UNAVAILABLE', status: 503 });
    expect(command.message).toMatch(/could not take the command now.*outcome is unknown/);
    expect((workflowProblem(answered(code, details), started, 'read') as ApiProblem).message).toMatch(/busy right now; try again/);
  });

  it('a gRPC answer that means our own mistake (INVALID_ARGUMENT) stays a bug', () => {
    const error = answered(3, 'INVALID_ARGUMENT: bad update name');
    expect(workflowProblem(error, started, 'command')).toBe(error);
  });
});

describe('toProblem: every code from the enums, every status from the one mapping', () => {
  it.each([
    [new ApiProblem(ApiErrorCode.REQUEST_ID_REUSED, 'reused'), 'REQUEST_ID_REUSED', 409],
    [forbidden('no'), 'FORBIDDEN', 403],
    [new NotFoundException('Cannot GET /nope'), 'NOT_FOUND', 404],
    [Object.assign(new Error('too large'), { status: 413, type: 'entity.too.large' }), 'PAYLOAD_TOO_LARGE', 413],
    [Object.assign(new Error('bad json'), { status: 400, type: 'entity.parse.failed' }), 'MALFORMED_JSON', 400],
    [Object.assign(new Error('unsupported charset'), { status: 415, type: 'charset.unsupported' }), 'UNSUPPORTED_MEDIA_TYPE', 415],
    [new Error('bug'), 'INTERNAL_ERROR', 500],
  ])('%s → %s %i', (error, code, status) => {
    const problem = toProblem(error, '/x');
    expect(problem).toMatchObject({ code, status, instance: '/x' });
    expect(statusOf(problem.code as ApiErrorCode)).toBe(status);
  });
});
