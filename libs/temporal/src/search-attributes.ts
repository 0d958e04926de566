import { defineSearchAttributeKey, SearchAttributeType, type SearchAttributePair } from '@temporalio/common';
import { shownApprovalLevel, type TicketState } from '../../domain/src';

/**
 * Custom search attributes of ticket workflows, so an operator can list e.g. "all tickets
 * waiting at approval level 2 in department X" in the Temporal UI. Depends only on
 * @temporalio/common and the domain, so the workflow bundle may import it.
 */
export const TicketSearchAttributes = {
  TicketStatus: defineSearchAttributeKey('TicketStatus', SearchAttributeType.KEYWORD),
  DepartmentId: defineSearchAttributeKey('DepartmentId', SearchAttributeType.KEYWORD),
  AssigneeId: defineSearchAttributeKey('AssigneeId', SearchAttributeType.KEYWORD),
  Channel: defineSearchAttributeKey('Channel', SearchAttributeType.KEYWORD),
  Category: defineSearchAttributeKey('Category', SearchAttributeType.KEYWORD),
  ApprovalLevel: defineSearchAttributeKey('ApprovalLevel', SearchAttributeType.INT),
  SlaBreached: defineSearchAttributeKey('SlaBreached', SearchAttributeType.BOOL),
  ReopenCount: defineSearchAttributeKey('ReopenCount', SearchAttributeType.INT),
} as const;

/** Name → CLI type, for `temporal server start-dev --search-attribute Name=Type`. */
export const SEARCH_ATTRIBUTE_CLI_TYPES: Record<keyof typeof TicketSearchAttributes, string> = {
  TicketStatus: 'Keyword',
  DepartmentId: 'Keyword',
  AssigneeId: 'Keyword',
  Channel: 'Keyword',
  Category: 'Keyword',
  ApprovalLevel: 'Int',
  SlaBreached: 'Bool',
  ReopenCount: 'Int',
};

/**
 * The one mapping from a ticket's state to its search attributes: the API uses it when it
 * starts the workflow (from the opening state), the workflow on every change.
 */
export function ticketSearchAttributes(state: TicketState): SearchAttributePair[] {
  const SA = TicketSearchAttributes;
  return [
    { key: SA.TicketStatus, value: state.status },
    { key: SA.Channel, value: state.channel },
    { key: SA.Category, value: state.category },
    { key: SA.DepartmentId, value: state.departmentId ?? '' },
    { key: SA.AssigneeId, value: state.assigneeId ?? '' },
    { key: SA.ApprovalLevel, value: shownApprovalLevel(state) ?? 0 },
    { key: SA.SlaBreached, value: state.sla.breached },
    { key: SA.ReopenCount, value: state.reopenCount },
  ];
}
