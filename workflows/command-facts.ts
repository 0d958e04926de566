import type { AnyFacts, Command, TicketState } from '../libs/domain/src';
import { organisation } from './activity-options';

/**
 * Looks up what a command needs to know about the organisation before the rules decide:
 * how a department assigns experts and the SLA of the category, or the approval chain above
 * the expert. Kept apart from what the caller sent, so a caller can never supply them.
 */
export function lookUpFacts(state: TicketState, command: Command): Promise<AnyFacts | undefined> {
  switch (command.type) {
    case 'assignDepartment':
    case 'reassignDepartment':
      return organisation
        .getDepartmentRouting({ departmentId: command.departmentId, category: command.category ?? state.category })
        .then(({ assignmentMode, categorySlaMs }) => ({ assignmentMode, categorySlaMs }));
    case 'submitResolution':
      // The policy admitted only the assigned expert, so the ticket has a department and an expert.
      return organisation.computeApprovalChain({ departmentId: state.departmentId!, expertId: state.assigneeId! }).then((chain) => ({ chain }));
    default:
      return Promise.resolve(undefined);
  }
}
