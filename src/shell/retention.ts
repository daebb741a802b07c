// Storage bounds: delete sessions past the age limit, then the oldest sessions until the database
// is under its size limit, then give the space back. Runs nightly in the daemon and on `prune`.
import type { EventStore } from '../store/port.js';

export interface RetentionPolicy {
  max_age_days: number;
  max_db_mb: number;
}

export interface RetentionReport {
  sessions: number;
  events: number;
  quarantined: number;
  bytes_before: number;
  bytes_after: number;
}

const DAY_MS = 86_400_000;

export function enforceRetention(store: EventStore, policy: RetentionPolicy, now: number): RetentionReport {
  const bytesBefore = store.sizeBytes();
  const total = store.pruneBefore(now - policy.max_age_days * DAY_MS);
  const maxBytes = policy.max_db_mb * 1024 * 1024;
  // Size is only known after deleting, so shrink in steps towards the target, at most a few rounds.
  for (let round = 0; round < 8 && store.sizeBytes() > maxBytes && store.counts().events > 0; round++) {
    const r = store.pruneOldest(Math.max(0, (0.9 * maxBytes) / store.sizeBytes()));
    total.sessions += r.sessions;
    total.events += r.events;
    if (r.events === 0) break;
  }
  if (total.events > 0 || total.quarantined > 0) store.compact();
  return { ...total, bytes_before: bytesBefore, bytes_after: store.sizeBytes() };
}
