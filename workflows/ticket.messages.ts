import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { CommandOf, TicketOpening, TicketState, UpdateCommandType } from '../libs/domain/src';
import { UPDATE_COMMANDS } from '../libs/domain/src';
import type { TicketSearchAttributesMode } from '../libs/config/src/app-config';

/**
 * The ticket workflow's message definitions: what the API sends and the worker handles.
 * Every external command is a Workflow Update of the same name whose argument is the
 * command without its `type`; it answers with the ticket's new view.
 */
export type CommandArgs<K extends UpdateCommandType> = Omit<CommandOf<K>, 'type'>;

export type TicketView = TicketState;

export type TicketUpdates = {
  [K in UpdateCommandType]: ReturnType<typeof defineUpdate<TicketView, [CommandArgs<K>], K>>;
};

/** The command table's commands and `attach` (a file's upload records itself). */
export const ticketUpdates = Object.fromEntries(
  UPDATE_COMMANDS.map((name) => [name, defineUpdate<TicketView, [CommandArgs<typeof name>]>(name)]),
) as unknown as TicketUpdates;

/** The live view of the ticket, straight from the workflow (fresher than the projection). */
export const getTicketQuery = defineQuery<TicketView>('getTicket');

/** Fire-and-forget: another ticket was merged into this one as a duplicate. */
export const duplicateMergedSignal = defineSignal<[{ fromNumber: string }]>('duplicateMerged');

/**
 * Start a new ticket, or carry an existing one over a continue-as-new. `historyLimit` is the
 * number of history events after which the ticket continues as new (default 8000).
 */
export type TicketWorkflowInput = ({ opening: TicketOpening } | { carriedOver: TicketState }) & {
  historyLimit?: number;
  /**
   * Whether the workflow keeps its custom search attributes current (TEMPORAL_SEARCH_ATTRIBUTES,
   * fixed when the ticket starts and carried over). Absent = live: tickets started before the
   * setting existed upsert as they always did, so their histories replay unchanged.
   */
  searchAttributes?: TicketSearchAttributesMode;
};

export interface TicketWorkflowResult {
  number: string;
  outcome: TicketState['outcome'];
  rounds: number;
  closedAt: string | null;
}
