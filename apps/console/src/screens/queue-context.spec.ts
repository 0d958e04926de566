import { nextInQueue } from './queue-context';

describe('nextInQueue', () => {
  it('the ticket after the current one, in the order shown', () => expect(nextInQueue(['a', 'b', 'c'], 'b')).toBe('c'));
  it('wraps to the first other ticket when the current one was last', () => expect(nextInQueue(['a', 'b', 'c'], 'c')).toBe('a'));
  it('none when the current ticket is the only one, or not in the list', () => {
    expect(nextInQueue(['a'], 'a')).toBeNull();
    expect(nextInQueue(['a', 'b'], 'x')).toBeNull();
  });
});
