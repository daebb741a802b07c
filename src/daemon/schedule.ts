// When is the nightly learn-and-commit due? Pure: `now` comes in, local time is the machine's.
import { addDays, format, isBefore, set, subDays } from 'date-fns';

export interface NightlyDecision {
  due: boolean;
  /** the local date (YYYY-MM-DD) the run is for: the day whose scheduled time has passed most recently */
  date: string;
  /** no run was ever recorded: this slot is where the schedule starts, not a run to catch up */
  first?: true;
}

/**
 * Due when the most recent scheduled time (today's if it has passed, else yesterday's) belongs to a
 * day with no run yet. So a machine that slept through 03:00 catches up when it wakes, and a day
 * never gets two runs. A data folder with no run recorded (`lastRunDate` null) has nothing to catch
 * up: the slot that passed before its first daemon start is skipped, and the schedule decides from
 * the next one (a new install must not commit the minute it starts).
 */
export function nightlyDue(now: Date, time: string, lastRunDate: string | null): NightlyDecision {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const today = set(now, { hours, minutes, seconds: 0, milliseconds: 0 });
  const slot = isBefore(now, today) ? subDays(today, 1) : today;
  const date = format(slot, 'yyyy-MM-dd');
  if (lastRunDate === null) return { due: false, date, first: true };
  return { due: lastRunDate < date, date };
}

/**
 * Milliseconds until the next scheduled time after `now`. Tomorrow's slot is the next calendar day at
 * the same wall-clock time (addDays), so a 23- or 25-hour day around a DST change moves neither the
 * slot nor the day.
 */
export function msUntilNext(now: Date, time: string): number {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  let next = set(now, { hours, minutes, seconds: 0, milliseconds: 0 });
  if (!isBefore(now, next)) next = set(addDays(next, 1), { hours, minutes });
  return next.getTime() - now.getTime();
}
