import { temporal } from '@temporalio/proto';
import type { History } from '@temporalio/common/lib/proto-utils';
import { lostTaskStarts } from './history-replayer';

const T = temporal.api.enums.v1.EventType;
// Timestamps as the client hands them over (seconds may be a Long; a number works the same).
const at = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1e6 + 123 }) as unknown as NonNullable<NonNullable<History["events"]>[number]["eventTime"]>;
const event = (eventType: temporal.api.enums.v1.EventType, ms: number) => ({ eventType, eventTime: at(ms) });

describe('lostTaskStarts: the workflow task attempts a dead worker left behind', () => {
  it('names the start of each attempt that timed out or failed, to the millisecond, and no other', () => {
    const history: History = {
      events: [
        event(T.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED, 1_000),
        event(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 1_001),
        event(T.EVENT_TYPE_WORKFLOW_TASK_STARTED, 1_002),
        event(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 1_050),
        event(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 5_000),
        event(T.EVENT_TYPE_WORKFLOW_TASK_STARTED, 5_007),
        event(T.EVENT_TYPE_WORKFLOW_TASK_TIMED_OUT, 15_007),
        event(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 15_008),
        event(T.EVENT_TYPE_WORKFLOW_TASK_STARTED, 15_010),
        event(T.EVENT_TYPE_WORKFLOW_TASK_FAILED, 15_020),
        event(T.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED, 15_021),
        event(T.EVENT_TYPE_WORKFLOW_TASK_STARTED, 15_030),
        event(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 15_090),
      ],
    };
    expect(lostTaskStarts(history)).toEqual([5_007, 15_010]);
  });

  it('finds none in a history where every task completed, or in an empty one', () => {
    expect(lostTaskStarts({ events: [event(T.EVENT_TYPE_WORKFLOW_TASK_STARTED, 1), event(T.EVENT_TYPE_WORKFLOW_TASK_COMPLETED, 2)] } as History)).toEqual([]);
    expect(lostTaskStarts({})).toEqual([]);
  });
});
