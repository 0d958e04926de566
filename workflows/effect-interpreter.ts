import { getExternalWorkflowHandle, log, upsertSearchAttributes } from '@temporalio/workflow';
import { SYSTEM_ACTOR, type Command, type Effect, type TicketState } from '../libs/domain/src';
import { ticketSearchAttributes } from '../libs/temporal/src/search-attributes';
import { ticketWorkflowId } from '../libs/temporal/src/task-queue';
import { notifications, organisation, projection } from './activity-options';
import { duplicateMergedSignal } from './ticket.messages';

type NotifyEffect = Extract<Effect, { kind: 'notify' }>;

/**
 * Carries out what a decision asks for, in order: the projection and audit rows (then the
 * search attributes), notifications, the least-loaded expert pick, the merge signal. The rules
 * in libs/domain only describe effects; this is the one place they touch the world.
 */
export class EffectInterpreter {
  /** Notifications running beside the ticket; continue-as-new and completion wait for them. */
  private pendingNotifications = 0;
  private upserted = '';

  constructor(
    private readonly state: () => TicketState,
    /** Applies a follow-up command the effects produce (the automatic expert assignment). */
    private readonly apply: (command: Command) => Promise<void>,
  ) {}

  get idle(): boolean {
    return this.pendingNotifications === 0;
  }

  async perform(effects: Effect[]): Promise<void> {
    const events = effects.flatMap((e) => (e.kind === 'record' ? [e.event] : []));
    if (events.length) {
      const view = this.state();
      await projection.recordTicketEvents({ ticketId: view.ticketId, events, view });
      this.updateSearchAttributes();
    }
    for (const effect of effects) {
      switch (effect.kind) {
        case 'record':
          break;
        case 'notify':
          // Staff should not wait for the SMS provider: notifications run beside the ticket
          // (in order of their events) and are awaited before the workflow completes.
          this.pendingNotifications++;
          void this.notify(effect).finally(() => this.pendingNotifications--);
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

  /** A notification that cannot be sent must not stop the ticket: the outbox keeps the row. */
  private async notify(effect: NotifyEffect): Promise<void> {
    const { ticketId, number } = this.state();
    try {
      await notifications.sendNotification({ ticketId, number, purpose: effect.purpose, seq: effect.seq, recipient: effect.recipient, params: effect.params });
    } catch (error) {
      log.error('notification failed after retries', { purpose: effect.purpose, seq: effect.seq, error: String(error) });
    }
  }

  /** Upserts only when something an operator can search for changed. */
  private updateSearchAttributes(): void {
    const attributes = ticketSearchAttributes(this.state());
    const key = JSON.stringify(attributes.map((a) => a.value));
    if (key === this.upserted) return;
    this.upserted = key;
    upsertSearchAttributes(attributes);
  }
}
