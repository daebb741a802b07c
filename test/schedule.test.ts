import { describe, expect, it } from 'vitest';
import { msUntilNext, nightlyDue } from '../src/daemon/schedule.js';

// Local times: the schedule is in the machine's time zone, as a person sets it.
const at = (y: number, mo: number, d: number, h: number, mi = 0) => new Date(y, mo - 1, d, h, mi);

describe('nightly schedule', () => {
  it('is due once the time has passed, for that day', () => {
    expect(nightlyDue(at(2026, 11, 29, 3, 0), '03:00', '2026-11-28')).toEqual({ due: true, date: '2026-11-29' });
    expect(nightlyDue(at(2026, 11, 29, 2, 59), '03:00', '2026-11-28')).toEqual({ due: false, date: '2026-11-28' });
  });

  it('never runs twice for one day', () => {
    expect(nightlyDue(at(2026, 11, 29, 4, 0), '03:00', '2026-11-29').due).toBe(false);
    expect(nightlyDue(at(2026, 11, 29, 23, 59), '03:00', '2026-11-29').due).toBe(false);
  });

  it('catches up after the machine slept through the scheduled time', () => {
    // Asleep from 28th 22:00 to 29th 09:00: at wake-up the 29th's run is due.
    expect(nightlyDue(at(2026, 11, 29, 9, 0), '03:00', '2026-11-27')).toEqual({ due: true, date: '2026-11-29' });
    // Woke at 01:00 on the 30th, last run the 28th: yesterday's slot (29th) is due now.
    expect(nightlyDue(at(2026, 11, 30, 1, 0), '03:00', '2026-11-28')).toEqual({ due: true, date: '2026-11-29' });
    expect(nightlyDue(at(2026, 11, 30, 1, 0), '03:00', null).due).toBe(true);
  });

  it('computes the wait until the next slot', () => {
    expect(msUntilNext(at(2026, 11, 29, 2, 0), '03:00')).toBe(3_600_000);
    expect(msUntilNext(at(2026, 11, 29, 3, 0), '03:00')).toBe(86_400_000);
  });
});
