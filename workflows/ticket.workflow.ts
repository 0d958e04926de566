import {
  ApplicationFailure,
  allHandlersFinished,
  CancellationScope,
  sleep,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  log,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setHandler,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { ActivityOptions, UpdateDefinition } from '@temporalio/common';
import type { TicketActivities } from '../activities/ticket-activities.contract';
import {
  Command,
  DomainError,
  EXTERNAL_COMMANDS,
  ExternalCommandType,
  SYSTEM_ACTOR,
  TicketState,
  authorize,
  decide,
  nextDeadline,
  openingState,
  type Effect,
} from '../libs/domain/src';
import { TicketSearchAttributes as SA } from '../libs/temporal/src/search-attributes';
import {
  duplicateMergedSignal,
  getTicketQuery,
  ticketUpdates,
  type CommandArgs,
  type TicketWorkflowInput,
  type TicketWorkflowResult,
} from './ticket.messages';

/**
 * patched() ids: one per workflow change that altered the commands a ticket emits. Tickets
 * started before a change replay the old branch; never reuse or remove an id while such
 * histories exist (test/histories keeps one generation per change).
 */
const PATCHES = {
  /** The continue-as-new check waits for the running command to finish. */
  rolloverAfterCommand: 'rollover-check-after-command',
  /** Projection writes and organisation look-ups run as local activities. */
  localDbActivities: 'local-db-activities',
  /** Notifications no longer hold up the command that caused them (see perform()). */
  backgroundNotifications: 'background-notifications',
  /** The main loop keeps its timer while the next deadline is unchanged (see nextWakeUp()). */
  stableTimer: 'stable-timer',
  /** sendNotification runs as a local activity. */
  localNotifications: 'local-notifications',
  /** Commands take a free lock without yielding; search attributes are upserted only when they change. */
  leanCommands: 'lean-commands',
  /** Waiters for the command lock re-check it after waking, so commands never overlap. */
  serialLock: 'serial-lock',
} as const;

/** Above this many history events the ticket continues as new, carrying its compact state. */
const DEFAULT_HISTORY_LIMIT = 8_000;

// Projection and organisation look-ups retry without limit: they are idempotent, and a
// database outage must stall a ticket until the database is back, never fail it.
const projectionOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
};
const organisationOptions: ActivityOptions = {
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute', nonRetryableErrorTypes: ['NOT_FOUND'] },
};
// Notifications retry for about half an hour, then give up: the outbox row stays for an operator.
const notificationOptions: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '5 minutes', maximumAttempts: 12 },
};

type ProjectionActivities = Pick<TicketActivities, 'recordTicketEvents'>;
type OrganisationActivities = Pick<TicketActivities, 'computeApprovalChain' | 'getDepartmentRouting' | 'pickLeastLoadedExpert'>;
type NotificationActivities = Pick<TicketActivities, 'sendNotification'>;

/**
 * All three are short calls from the worker's own process (a database statement, one provider
 * request behind the outbox), so current tickets run them as local activities: no server
 * round trip, one marker event instead of three. Retries past a minute become durable timers.
 */
const remote = {
  projection: proxyActivities<ProjectionActivities>(projectionOptions),
  organisation: proxyActivities<OrganisationActivities>(organisationOptions),
  notifications: proxyActivities<NotificationActivities>(notificationOptions),
};
const local = {
  projection: proxyLocalActivities<ProjectionActivities>(projectionOptions),
  organisation: proxyLocalActivities<OrganisationActivities>(organisationOptions),
  notifications: proxyLocalActivities<NotificationActivities>(notificationOptions),
};
const db = () => (patched(PATCHES.localDbActivities) ? local : remote);
const notifications = () => (patched(PATCHES.localNotifications) ? local.notifications : remote.notifications);

/** A refused command becomes a non-retryable failure whose type is the domain error code. */
function toFailure(error: unknown): unknown {
  if (error instanceof DomainError) {
    return ApplicationFailure.create({ message: error.message, type: error.code, nonRetryable: true, details: [error.details] });
  }
  return error;
}

/**
 * One durable workflow per ticket: a thin interpreter of the pure rules in libs/domain.
 * Commands arrive as Updates; the validator re-checks actor and state (a refused command
 * leaves no history event), the handler decides, applies the new state at once and then
 * performs the effects. Clocks are deadlines in the state; the main loop sleeps until the
 * earliest one with a durable timer.
 */
export async function ticketWorkflow(input: TicketWorkflowInput): Promise<TicketWorkflowResult> {
  let state: TicketState = 'carriedOver' in input ? input.carriedOver : openingState(input.opening);
  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const now = () => new Date(Date.now()).toISOString();
  // A function, not an inline comparison: handlers change `state` behind the loop's back.
  const isClosed = () => state.status === 'CLOSED';

  /** Notifications running beside the ticket; continue-as-new and completion wait for them. */
  let pendingNotifications = 0;
  const quiet = () => allHandlersFinished() && !busy && pendingNotifications === 0;

  // Commands run one at a time: a command's effects finish before the next one decides.
  let busy = false;
  async function exclusively<T>(work: () => Promise<T>): Promise<T> {
    if (patched(PATCHES.serialLock)) {
      // Every waiter wakes when the lock frees; only the first may take it, the rest wait again.
      while (busy) await condition(() => !busy);
    } else if (busy || !patched(PATCHES.leanCommands)) {
      await condition(() => !busy);
    }
    busy = true;
    try {
      return await work();
    } finally {
      busy = false;
    }
  }

  async function apply(command: Command): Promise<void> {
    let decision;
    try {
      decision = decide(state, command, now());
    } catch (error) {
      throw toFailure(error);
    }
    state = decision.state;
    await perform(decision.effects);
  }

  async function perform(effects: Effect[]): Promise<void> {
    const events = effects.flatMap((e) => (e.kind === 'record' ? [e.event] : []));
    if (events.length) {
      await db().projection.recordTicketEvents({ ticketId: state.ticketId, events, view: state });
      updateSearchAttributes();
    }
    for (const effect of effects) {
      switch (effect.kind) {
        case 'notify':
          // Staff should not wait for the SMS provider: notifications run beside the ticket
          // (in order of their events) and are awaited before the workflow completes.
          if (patched(PATCHES.backgroundNotifications)) {
            pendingNotifications++;
            void notify(effect).finally(() => pendingNotifications--);
          } else {
            await notify(effect);
          }
          break;
        case 'pickExpert': {
          const expertId = await db().organisation.pickLeastLoadedExpert({ departmentId: effect.departmentId });
          await apply(
            expertId
              ? { type: 'assignExpert', actor: SYSTEM_ACTOR, expertId, expertDepartmentId: effect.departmentId }
              : { type: 'expertAssignmentPending', actor: SYSTEM_ACTOR },
          );
          break;
        }
        case 'signalMerge':
          try {
            await getExternalWorkflowHandle(`ticket-${effect.survivorNumber}`).signal(duplicateMergedSignal, {
              fromNumber: effect.fromNumber,
            });
          } catch (error) {
            // The surviving ticket may have closed meanwhile; the merge is still recorded here.
            log.warn('could not tell the surviving ticket about the merge', { survivor: effect.survivorNumber, error: String(error) });
          }
          break;
      }
    }
  }

  /** A notification that cannot be sent must not stop the ticket: the outbox keeps the row. */
  async function notify(effect: Extract<Effect, { kind: 'notify' }>): Promise<void> {
    try {
      await notifications().sendNotification({
        ticketId: state.ticketId,
        number: state.number,
        purpose: effect.purpose,
        seq: effect.seq,
        recipient: effect.recipient,
        params: effect.params,
      });
    } catch (error) {
      log.error('notification failed after retries', { purpose: effect.purpose, seq: effect.seq, error: String(error) });
    }
  }

  let upserted = '';
  function updateSearchAttributes(): void {
    const values = [state.status, state.departmentId, state.assigneeId, state.category, state.approval?.level, state.sla.breached, state.reopenCount];
    const key = JSON.stringify(values);
    if (key === upserted && patched(PATCHES.leanCommands)) return; // nothing an operator can search for changed
    upserted = key;
    upsertSearchAttributes([
      { key: SA.TicketStatus, value: state.status },
      { key: SA.DepartmentId, value: state.departmentId ?? '' },
      { key: SA.AssigneeId, value: state.assigneeId ?? '' },
      { key: SA.Category, value: state.category },
      { key: SA.ApprovalLevel, value: state.status === 'IN_APPROVAL' && state.approval ? state.approval.level : 0 },
      { key: SA.SlaBreached, value: state.sla.breached },
      { key: SA.ReopenCount, value: state.reopenCount },
    ]);
  }

  /** Commands that need facts from the organisation get them before the rules decide. */
  async function prepare(command: Command): Promise<Command> {
    if (command.type === 'submitResolution' && state.departmentId && state.assigneeId) {
      const chain = await db().organisation.computeApprovalChain({ departmentId: state.departmentId, expertId: state.assigneeId });
      return { ...command, chain };
    }
    if (command.type === 'assignDepartment') {
      const routing = await db().organisation.getDepartmentRouting({ departmentId: command.departmentId });
      return { ...command, assignmentMode: routing.assignmentMode };
    }
    return command;
  }

  /** The state commands are judged against: a ticket not yet opened is judged as opened. */
  function stateAsOpened(): TicketState {
    return state.status === 'RECEIVED' ? decide(state, { type: 'open', actor: SYSTEM_ACTOR }, now()).state : state;
  }

  for (const name of EXTERNAL_COMMANDS) {
    // One handler shape for every command; the cast only widens the argument type.
    const update = ticketUpdates[name] as unknown as UpdateDefinition<TicketState, [CommandArgs<ExternalCommandType>]>;
    setHandler(
      update,
      async (args: CommandArgs<ExternalCommandType>) => {
        // A command can arrive in the very first workflow task, before `open` ran: let the
        // ticket open first (only then; the branch never runs for a ticket already open).
        if (state.status === 'RECEIVED') await condition(() => state.status !== 'RECEIVED');
        return exclusively(async () => {
          const command = { ...args, type: name } as Command;
          // Re-check: the state may have moved on while this update waited for its turn.
          try {
            authorize(state, command, now());
          } catch (error) {
            throw toFailure(error);
          }
          await apply(await prepare(command));
          return state;
        });
      },
      {
        validator: (args: CommandArgs<ExternalCommandType>) => {
          try {
            authorize(stateAsOpened(), { ...args, type: name } as Command, now());
          } catch (error) {
            throw toFailure(error);
          }
        },
      },
    );
  }

  setHandler(getTicketQuery, () => state);
  setHandler(duplicateMergedSignal, ({ fromNumber }) => {
    void exclusively(() => apply({ type: 'duplicateMerged', actor: SYSTEM_ACTOR, fromNumber })).catch((error) =>
      log.warn('merge note refused', { fromNumber, error: String(error) }),
    );
  });

  if (state.status === 'RECEIVED') {
    await exclusively(() => apply({ type: 'open', actor: SYSTEM_ACTOR }));
  }

  /** The one durable timer, kept while the next deadline stays the same. */
  let timer: { at: string; fired: boolean; scope: CancellationScope } | null = null;
  function armTimer(due: string | null): void {
    if (timer?.at === due) return;
    timer?.scope.cancel();
    timer = null;
    if (due === null) return;
    const armed = { at: due, fired: false, scope: new CancellationScope() };
    armed.scope.run(() => sleep(Math.max(1, Date.parse(due) - Date.now()))).then(
      () => (armed.fired = true),
      () => undefined, // cancelled: the deadline moved
    );
    timer = armed;
  }

  /** Waits for a state change or a due clock; true when a clock is due. */
  async function nextWakeUp(): Promise<boolean> {
    const seenSeq = state.seq;
    const due = nextDeadline(state);
    if (patched(PATCHES.stableTimer)) {
      // Re-arm only when the deadline moved: most commands leave it alone, and each re-arm
      // costs two history events (timer started, timer cancelled).
      armTimer(due);
      await condition(() => state.seq !== seenSeq || timer?.fired === true);
      if (!timer?.fired) return false;
      timer = null;
      return true;
    }
    const waitMs = due === null ? undefined : Math.max(1, Date.parse(due) - Date.now());
    return waitMs === undefined ? (await condition(() => state.seq !== seenSeq), false) : !(await condition(() => state.seq !== seenSeq, waitMs));
  }

  while (!isClosed()) {
    if (await nextWakeUp()) {
      // A command may have closed the ticket while the timer fired: then there is nothing to tick.
      await exclusively(async () => {
        if (!isClosed()) await apply({ type: 'tick', actor: SYSTEM_ACTOR });
      });
    }
    // Let the command that woke us finish its effects before judging the history's size
    // (otherwise a ticket whose last command left it idle never rolls over). Patched: it
    // changes when the next timer is started, and recorded histories predate it.
    if (patched(PATCHES.rolloverAfterCommand)) await condition(() => !busy);
    if (!isClosed() && (workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > historyLimit)) {
      // One predicate: commands accepted while we waited must finish too, with their SMS.
      await condition(quiet);
      await continueAsNew<typeof ticketWorkflow>({ carriedOver: state, historyLimit });
    }
  }

  // Let in-flight updates (e.g. the one that closed the ticket) answer before completing.
  await condition(quiet);
  return { number: state.number, outcome: state.outcome, rounds: state.round, closedAt: state.closedAt };
}
