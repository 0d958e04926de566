import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';

/**
 * Custom search attributes of ticket workflows, so an operator can list e.g. "all tickets
 * waiting at approval level 2 in department X" in the Temporal UI. Depends only on
 * @temporalio/common, so the workflow bundle may import it.
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
