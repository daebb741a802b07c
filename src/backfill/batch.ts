// Synthesized hook payloads in, records ready to store out. Runs in the backfilling thread or in a
// normalize worker; the live-capture deduplication stays with the writer (it reads the store).
import { normalize, type NormalizeContext } from '../core/normalize.js';
import { redactText } from '../core/redact.js';
import type { EventRecord, QuarantineRecord } from '../core/types.js';
import type { BackfillPayload } from './transcript.js';

const MAX_QUARANTINE_CHARS = 1 << 20;

export interface NormalizedBackfill {
  events: EventRecord[];
  quarantine: QuarantineRecord[];
}

export function normalizeBackfillBatch(payloads: readonly BackfillPayload[], ctx: NormalizeContext): NormalizedBackfill {
  const events: EventRecord[] = [];
  const quarantine: QuarantineRecord[] = [];
  for (const p of payloads) {
    const result = normalize({ id: p.id, ts_ms: p.ts_ms, source: 'backfill', value: p.value }, ctx);
    if (result.ok) events.push(result.record);
    else quarantine.push(quarantineRecord(p, result.reason));
  }
  return { events, quarantine };
}

function quarantineRecord(p: BackfillPayload, reason: string): QuarantineRecord {
  const raw = JSON.stringify(p.value);
  const event = typeof p.value.hook_event_name === 'string' ? p.value.hook_event_name : null;
  return { id: p.id, ts_ms: p.ts_ms, event, reason, size: raw.length, raw: redactText(raw.slice(0, MAX_QUARANTINE_CHARS)) };
}
