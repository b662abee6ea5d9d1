import type { Clock } from '@payin/core';

export interface FakeClock extends Clock {
  advance(ms: number): void;
}

/** Time that moves only when a test says so. */
export function fakeClock(start = new Date('2030-03-01T12:00:00Z')): FakeClock {
  let t = start.getTime();
  return {
    now: () => new Date(t),
    advance(ms) {
      t += ms;
    },
  };
}
