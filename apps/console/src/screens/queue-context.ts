import { createContext, useContext } from 'react';

/** The queue a ticket was opened from, in the order shown: where "next ticket in this queue" leads. */
export interface QueueContextValue {
  queue: string;
  numbers: readonly string[];
}

export const QueueContext = createContext<QueueContextValue | null>(null);

export const useQueueContext = () => useContext(QueueContext);

/** The ticket after `current` in the list (or the first other one when it was last). */
export function nextInQueue(numbers: readonly string[], current: string): string | null {
  const at = numbers.indexOf(current);
  if (at < 0) return null;
  return numbers.slice(at + 1).concat(numbers.slice(0, at))[0] ?? null;
}
