import { allHandlersFinished, condition, continueAsNew, log, setHandler, workflowInfo } from '@temporalio/workflow';
import type { UpdateDefinition } from '@temporalio/common';
import {
  Command,
  UPDATE_COMMANDS,
  UpdateCommandType,
  SYSTEM_ACTOR,
  TicketState,
  decide,
  needsFacts,
  nextDeadline,
  openingState,
  type AnyFacts,
} from '../libs/domain/src';
import { lookUpFacts } from './command-facts';
import { CommandLock } from './command-lock';
import { DeadlineTimer } from './deadline-timer';
import { authorizeOrFail, decideOrFail } from './domain-failure';
import { EffectInterpreter } from './effect-interpreter';
import {
  duplicateMergedSignal,
  getTicketQuery,
  ticketUpdates,
  type CommandArgs,
  type TicketWorkflowInput,
  type TicketWorkflowResult,
} from './ticket.messages';

/** A command judged (authorize) on this state at this time. */
interface Judgement {
  on: TicketState;
  at: string;
}

/** Above this many history events the ticket continues as new, carrying its compact state. */
const DEFAULT_HISTORY_LIMIT = 8_000;

/**
 * One durable workflow per ticket: a thin interpreter of the pure rules in libs/domain.
 * Commands arrive as Updates; the validator checks actor, state and content (a refused command
 * leaves no history event), the handler looks up the facts the rules need, decides, applies
 * the new state at once and then performs the effects. Clocks are deadlines in the state; the
 * main loop sleeps until the earliest one with one durable timer.
 */
export async function ticketWorkflow(input: TicketWorkflowInput): Promise<TicketWorkflowResult> {
  // --- state -------------------------------------------------------------------------------
  let state: TicketState = 'carriedOver' in input ? input.carriedOver : openingState(input.opening);
  const historyLimit = input.historyLimit ?? DEFAULT_HISTORY_LIMIT;
  const searchAttributes = input.searchAttributes ?? 'live';
  const now = () => new Date(Date.now()).toISOString();
  // A function, not an inline comparison: handlers change `state` behind the loop's back.
  const isClosed = () => state.status === 'CLOSED';

  const lock = new CommandLock();
  const timer = new DeadlineTimer();
  const effects = new EffectInterpreter(() => state, (command) => apply(command), searchAttributes === 'live');
  const quiet = () => allHandlersFinished() && !lock.busy && effects.idle;

  /**
   * The state and time the last Update validator judged its command on. The SDK starts a handler
   * right after its validator, in the same turn, so the handler takes it at once: a command whose
   * turn comes while the state and the time are still those is not judged a second time.
   */
  let judgement: Judgement | null = null;
  const takeJudgement = () => {
    const taken = judgement;
    judgement = null;
    return taken;
  };
  const historyIsLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > historyLimit;

  /**
   * Decides, applies the new state and re-arms the deadline timer at once, then performs the
   * effects. The timer follows every change here, so a command never has to wake the main loop.
   */
  function apply(command: Command, facts?: AnyFacts, judged = false): Promise<void> | void {
    const decision = decideOrFail(state, command, now(), facts, judged);
    state = decision.state;
    // A closed ticket only finishes: its timer goes with the workflow, no cancellation needed.
    if (!isClosed()) timer.arm(nextDeadline(state));
    return effects.perform(decision.effects);
  }

  /**
   * A command's turn under the lock: judged again only if the state or the time moved on since
   * its validator judged it (it waited for the lock), then the facts looked up if the rules need
   * them (a refused command looks nothing up), then applied. The look-up does not make it judged
   * again: under the lock the state waits for this command.
   */
  function execute(command: Command, judgedOn: Judgement | null): Promise<void> | void {
    const judged = judgedOn !== null && judgedOn.on === state && judgedOn.at === now();
    if (!needsFacts(command.type)) return apply(command, undefined, judged);
    if (!judged) authorizeOrFail(state, command, now());
    return lookUpFacts(state, command).then((facts) => apply(command, facts, true));
  }

  /** A command that arrived in the very first workflow task, before `open` ran, waits for it. */
  async function executeOnceOpen(command: Command): Promise<void> {
    await condition(() => state.status !== 'RECEIVED');
    return lock.run(() => execute(command, null));
  }

  /** The state commands are judged against: a ticket not yet opened is judged as opened. */
  const stateAsOpened = (): TicketState =>
    state.status === 'RECEIVED' ? decide(state, { type: 'open', actor: SYSTEM_ACTOR }, now()).state : state;

  // --- handlers ----------------------------------------------------------------------------
  // A handler added here (attach) is replay-safe: an old history never sent it.
  for (const name of UPDATE_COMMANDS) {
    // One handler shape for every command; the cast only widens the argument type.
    const update = ticketUpdates[name] as unknown as UpdateDefinition<TicketState, [CommandArgs<UpdateCommandType>]>;
    const asCommand = (args: CommandArgs<UpdateCommandType>) => ({ ...args, type: name }) as Command;
    setHandler(
      update,
      (args) => {
        const command = asCommand(args);
        const judgedOn = takeJudgement();
        const done = state.status === 'RECEIVED' ? executeOnceOpen(command) : lock.run(() => execute(command, judgedOn));
        return done.then(() => state);
      },
      {
        validator: (args) => {
          const on = stateAsOpened();
          const at = now();
          authorizeOrFail(on, asCommand(args), at);
          judgement = { on, at };
        },
      },
    );
  }

  setHandler(getTicketQuery, () => state);
  // Returns its promise, so allHandlersFinished() (and so continue-as-new) waits for it.
  setHandler(duplicateMergedSignal, ({ fromNumber }) =>
    lock
      .run(() => apply({ type: 'duplicateMerged', actor: SYSTEM_ACTOR, fromNumber }))
      .catch((error) => log.warn('merge note refused', { fromNumber, error: String(error) })),
  );

  // --- main loop ---------------------------------------------------------------------------
  // Commands re-arm the timer themselves, so the loop wakes only for what is its own: a deadline
  // that came, a history grown long, the end.
  if (state.status === 'RECEIVED') await lock.run(() => apply({ type: 'open', actor: SYSTEM_ACTOR }));
  else timer.arm(nextDeadline(state)); // carried over from the previous run: nothing armed it yet

  while (!isClosed()) {
    await condition(() => timer.fired || isClosed() || historyIsLong());
    if (timer.fired) {
      await lock.run(() => {
        timer.take();
        // A command may have closed the ticket while the timer fired: then there is nothing to tick.
        return isClosed() ? undefined : apply({ type: 'tick', actor: SYSTEM_ACTOR });
      });
    }
    if (!isClosed() && historyIsLong()) {
      // One predicate: commands accepted while we waited must finish too, with their SMS.
      await condition(quiet);
      await continueAsNew<typeof ticketWorkflow>({ carriedOver: state, historyLimit, searchAttributes });
    }
  }

  // Let in-flight updates (e.g. the one that closed the ticket) answer before completing.
  await condition(quiet);
  return { number: state.number, outcome: state.outcome, rounds: state.round, closedAt: state.closedAt };
}
