// Test-side helper around the capture hook: read what it spooled.
import fs from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';

/** A spooled payload: the event from the file name and the parsed stdin JSON. */
export interface SpooledPayload {
  file: string;
  event: string;
  payload: Record<string, unknown>;
}

/** Spool file names are `<ns timestamp>-<pid>-<Event>.json`. */
const SPOOL_NAME = /^(\d+)-(\d+)-([A-Za-z]+)\.json$/;

/** All whole payloads in `<home>/spool`, in arrival order. Throws on a file that is not JSON. */
export function readSpool(metaHome: string): SpooledPayload[] {
  const dir = path.join(metaHome, 'spool');
  if (!fs.existsSync(dir)) return [];
  const entries: Array<SpooledPayload & { ts: bigint; pid: number }> = [];
  for (const file of fs.readdirSync(dir)) {
    const match = SPOOL_NAME.exec(file);
    if (match === null) continue;
    const payload = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as Record<string, unknown>;
    entries.push({ file, event: match[3] ?? '', payload, ts: BigInt(match[1] ?? '0'), pid: Number(match[2]) });
  }
  entries.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : a.pid - b.pid));
  return entries.map(({ file, event, payload }) => ({ file, event, payload }));
}

/** The payloads of one event, of one tool call when `toolUseId` is given. */
export const by = (spool: SpooledPayload[], event: string, toolUseId?: string): SpooledPayload[] =>
  spool.filter((p) => p.event === event && (toolUseId === undefined || p.payload.tool_use_id === toolUseId));

/** The one payload of an event (of a tool call); fails the test when there is not exactly one. */
export function only(spool: SpooledPayload[], event: string, toolUseId?: string): Record<string, unknown> {
  const found = by(spool, event, toolUseId);
  expect(found, `${event} ${toolUseId ?? ''}`).toHaveLength(1);
  return found[0]!.payload;
}

/** Arrival position of an event (of a tool call), -1 when absent. */
export const position = (spool: SpooledPayload[], event: string, toolUseId?: string): number =>
  spool.findIndex((p) => p.event === event && (toolUseId === undefined || p.payload.tool_use_id === toolUseId));
