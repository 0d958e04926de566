import { getExternalWorkflowHandle, log, upsertSearchAttributes } from '@temporalio/workflow';
import { SYSTEM_ACTOR, type Command, type Effect, type TicketState } from '../libs/domain/src';
import { ticketSearchAttributes } from '../libs/temporal/src/search-attributes';
import { ticketWorkflowId } from '../libs/temporal/src/task-queue';
import { notifications, organisation, projection } from './activity-options';
import { duplicateMergedSignal } from './ticket.messages';

type NotifyEffect = Extract<Effect, { kind: 'notify' }>;

/**
 * Carries out what a decision asks for, in order: the projection and audit rows (then the
 * search attributes, when they are kept live), notifications, the least-loaded expert pick, the merge signal. The rules
 * in libs/domain only describe effects; this is the one place they touch the world.
 */
export class EffectInterpreter {
  /** Notifications running beside the ticket; continue-as-new and completion wait for them. */
  private pendingNotifications = 0;
  private upserted = '';

  constructor(
    private readonly state: () => TicketState,
    /** Applies a follow-up command the effects produce (the automatic expert assignment). */
    private readonly apply: (command: Command) => Promise<void> | void,
    /** Whether the ticket keeps its search attributes current (TEMPORAL_SEARCH_ATTRIBUTES=live). */
    private readonly liveSearchAttributes: boolean,
  ) {}

  get idle(): boolean {
    return this.pendingNotifications === 0;
  }

  /**
   * Carries out one decision's effects, in order: the projection and audit rows first (then the
   * search attributes), then the rest. Returns a promise only when there is something to wait
   * for, and chains no more than it must: the SDK records a stack trace for every promise.
   */
  perform(effects: Effect[]): Promise<void> | void {
    const events = effects.flatMap((e) => (e.kind === 'record' ? [e.event] : []));
    if (!events.length) return this.afterRecording(effects);
    const view = this.state();
    return projection.recordTicketEvents({ ticketId: view.ticketId, events, view }).then(() => {
      this.updateSearchAttributes();
      return this.afterRecording(effects);
    });
  }

  /** What follows the projection. Most decisions only text someone: that needs no waiting. */
  private afterRecording(effects: Effect[]): Promise<void> | void {
    if (effects.some((e) => e.kind === 'pickExpert' || e.kind === 'signalMerge')) return this.inOrder(effects);
    for (const effect of effects) if (effect.kind === 'notify') this.notify(effect);
  }

  /** A follow-up command or a merge signal is awaited before the effects after it start. */
  private async inOrder(effects: Effect[]): Promise<void> {
    for (const effect of effects) {
      switch (effect.kind) {
        case 'record':
          break;
        case 'notify':
          this.notify(effect);
          break;
        case 'pickExpert': {
          const expertId = await organisation.pickLeastLoadedExpert({ departmentId: effect.departmentId });
          await this.apply(
            expertId
              ? { type: 'assignExpert', actor: SYSTEM_ACTOR, expertId, expertDepartmentId: effect.departmentId }
              : { type: 'expertAssignmentPending', actor: SYSTEM_ACTOR },
          );
          break;
        }
        case 'signalMerge':
          try {
            await getExternalWorkflowHandle(ticketWorkflowId(effect.survivorNumber)).signal(duplicateMergedSignal, { fromNumber: effect.fromNumber });
          } catch (error) {
            // The surviving ticket may have closed meanwhile; the merge is still recorded here.
            log.warn('could not tell the surviving ticket about the merge', { survivor: effect.survivorNumber, error: String(error) });
          }
          break;
      }
    }
  }

  /**
   * Staff should not wait for the SMS provider: a notification runs beside the ticket (started
   * in the order of its event) and is awaited before the workflow completes. One that cannot be
   * sent must not stop the ticket: the outbox keeps the row.
   */
  private notify(effect: NotifyEffect): void {
    const { ticketId, number } = this.state();
    this.pendingNotifications++;
    notifications
      .sendNotification({ ticketId, number, purpose: effect.purpose, seq: effect.seq, recipient: effect.recipient, params: effect.params })
      .then(
        () => this.pendingNotifications--,
        (error: unknown) => {
          this.pendingNotifications--;
          log.error('notification failed after retries', { purpose: effect.purpose, seq: effect.seq, error: String(error) });
        },
      );
  }

  /** Upserts only when the ticket keeps them live and something an operator can search for changed. */
  private updateSearchAttributes(): void {
    if (!this.liveSearchAttributes) return;
    const attributes = ticketSearchAttributes(this.state());
    const key = JSON.stringify(attributes.map((a) => a.value));
    if (key === this.upserted) return;
    this.upserted = key;
    upsertSearchAttributes(attributes);
  }
}
