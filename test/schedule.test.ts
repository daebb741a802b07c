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
  });

  it('a data folder with no run yet starts its schedule at the next slot instead of catching up', () => {
    expect(nightlyDue(at(2026, 11, 30, 1, 0), '03:00', null)).toEqual({ due: false, date: '2026-11-29', first: true });
    expect(nightlyDue(at(2026, 11, 30, 9, 0), '00:00', null)).toEqual({ due: false, date: '2026-11-30', first: true });
    // The daemon records the skipped slot as where the schedule starts: the next slot is due.
    expect(nightlyDue(at(2026, 11, 30, 23, 59), '03:00', '2026-11-29').due).toBe(true);
    expect(nightlyDue(at(2026, 12, 1, 0, 1), '00:00', '2026-11-30')).toEqual({ due: true, date: '2026-12-01' });
  });

  it('computes the wait until the next slot', () => {
    expect(msUntilNext(at(2026, 11, 29, 2, 0), '03:00')).toBe(3_600_000);
    expect(msUntilNext(at(2026, 11, 29, 3, 0), '03:00')).toBe(86_400_000);
  });

  it('the next slot is the next calendar day at the same wall-clock time across DST changes', () => {
    const tz = process.env.TZ;
    process.env.TZ = 'Europe/Berlin'; // clocks go forward on 2026-03-29 (a 23-hour day), back on 2026-10-25 (25 hours)
    try {
      const H = 3_600_000;
      // 24 hours after the 28th's 23:30 is already the 30th 00:30: the slot must stay on the 29th
      expect(msUntilNext(at(2026, 3, 28, 23, 30), '23:30')).toBe(23 * H);
      expect(msUntilNext(at(2026, 3, 28, 3, 0), '03:00')).toBe(23 * H);
      expect(msUntilNext(at(2026, 10, 24, 23, 30), '23:30')).toBe(25 * H);
      expect(msUntilNext(at(2026, 10, 24, 3, 0), '03:00')).toBe(25 * H);
    } finally {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    }
  });
});
