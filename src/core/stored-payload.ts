// The payload as stored with an event: redacted, long strings cut, as JSON. Its own module so the
// spool worker can make it without loading the normalizer. Pure.
import { redactDeep } from './redact.js';

export function storedPayload(value: unknown, maxFieldChars: number): string {
  return JSON.stringify(redactDeep(value, { maxFieldChars }));
}
