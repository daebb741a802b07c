// Imports past Claude Code transcripts into the store as if the hooks had captured them. The I/O
// shell around transcript.ts: walk folders for *.jsonl, optionally archive each file, stream it
// line by line (real transcripts reach 700 MB; a file is never read whole), convert, normalize,
// and store in batches. Idempotent: every record has a deterministic id, and the store skips a
// backfilled call whose tool_use_id the hooks already captured live.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EventRecord, QuarantineRecord } from '../core/types.js';
import { gitRootResolver } from '../ingest/project-root.js';
import { DEFAULT_MAX_FIELD_CHARS } from '../ingest/ingest.js';
import { runNormalizeJob, type NormalizeJob } from '../ingest/normalize-job.js';
import { defaultWorkerCount, WorkerPool, workerFileFor } from '../ingest/worker-pool.js';
import type { NormalizedBackfill } from './batch.js';
import { copyFileWhole } from '../shell/write-whole.js';
import type { EventStore } from '../store/port.js';
import { createTranscriptConverter, type BackfillPayload } from './transcript.js';

export interface BackfillOptions {
  /** transcript files or folders to walk */
  paths: string[];
  store: EventStore;
  /** copy each transcript here first (same layout), so it outlives Claude Code's 30-day cleanup */
  archiveDir?: string;
  onProgress?: (bytesDone: number, bytesTotal: number) => void;
  maxFieldChars?: number;
  batchSize?: number;
  /** a longer line (a pasted image, say) is skipped and counted as malformed */
  maxLineBytes?: number;
  /** normalize workers; default: none for a little transcript, else one (when there is a spare core) */
  workers?: number;
  /** the worker module; default the bundled dist/normalize-worker.js (tests use stand-ins) */
  workerFile?: string | null;
}

export interface BackfillReport {
  files: number;
  lines: number;
  /** hook payloads synthesized */
  payloads: number;
  inserted: number;
  /** already stored: same id (an earlier backfill), or a call the hooks captured live */
  duplicates: number;
  /** prompts, session and subagent events of a session that the hooks captured live in that period */
  hook_covered: number;
  quarantined: number;
  /** malformed lines plus lines that carry no hook event (summary, system, progress, ...) */
  skipped_lines: number;
  malformed_lines: number;
  /** files copied into the archive (identical ones already there are not copied again) */
  archived: number;
  bytes: number;
  ms: number;
}

/** One transcript found by the walk. */
export interface TranscriptFile {
  file: string;
  /** path inside the folder it was found in; the archive keeps this layout */
  rel: string;
  size: number;
}

const DEFAULT_BATCH = 2000;
const DEFAULT_MAX_LINE_BYTES = 128 * 1024 * 1024;
const CHUNK_BYTES = 1 << 20;
/** Below this much transcript, starting a worker costs more than it saves. */
const PARALLEL_MIN_BYTES = 4 << 20;
const WORKER_JOB_PAYLOADS = 250;
/** Hook timestamps are arrival times, a little after the transcript's; allow for it. */
const HOOK_WINDOW_SLACK_MS = 60_000;

/** Where Claude Code keeps transcripts: $CLAUDE_CONFIG_DIR/projects, else ~/.claude/projects. */
export function defaultTranscriptRoot(env: NodeJS.ProcessEnv = process.env): string {
  if (env.CLAUDE_CONFIG_DIR) return path.join(env.CLAUDE_CONFIG_DIR, 'projects');
  return path.join(env.HOME || os.homedir(), '.claude', 'projects');
}

export function backfill(options: BackfillOptions): BackfillReport {
  const started = performance.now();
  const { store } = options;
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const ctx = { projectOf: gitRootResolver(), maxFieldChars: options.maxFieldChars ?? DEFAULT_MAX_FIELD_CHARS };
  const archiveDir = options.archiveDir === undefined ? undefined : path.resolve(options.archiveDir);
  const report: BackfillReport = {
    files: 0, lines: 0, payloads: 0, inserted: 0, duplicates: 0, hook_covered: 0, quarantined: 0,
    skipped_lines: 0, malformed_lines: 0, archived: 0, bytes: 0, ms: 0,
  };

  const files = options.paths.flatMap((p) => listTranscripts(p, archiveDir));
  const bytesTotal = files.reduce((n, f) => n + f.size, 0);
  const agentTypes = new Map<string, string>();
  const covered = hookCoverage(store);
  let events: EventRecord[] = [];
  let quarantine: QuarantineRecord[] = [];

  const flush = (): void => {
    if (events.length === 0 && quarantine.length === 0) return;
    const stored = store.insert(events, quarantine);
    report.inserted += stored.inserted;
    report.duplicates += stored.duplicates;
    report.quarantined += stored.quarantined;
    events = [];
    quarantine = [];
  };
  // One worker at most: each costs 40-60 MB, and backfill stays under 300 MB whatever the input.
  const workers = options.workers ?? (bytesTotal >= PARALLEL_MIN_BYTES ? Math.min(1, defaultWorkerCount()) : 0);
  // This thread reads, converts and stores; the workers normalize and redact.
  const pool = new WorkerPool<NormalizeJob, NormalizedBackfill>({
    workerFile: workerFileFor(workers, options.workerFile, 'normalize-worker'),
    workers,
    help: true,
    // Deep enough that the worker still has work while this thread stores a batch.
    perWorker: 8,
    runLocal: (job) => runNormalizeJob(job, ctx.projectOf),
    onResult: (normalized) => {
      for (const record of normalized.events) {
        if (covered(record)) report.hook_covered++;
        else events.push(record);
      }
      for (const q of normalized.quarantine) quarantine.push(q);
      if (events.length + quarantine.length >= batchSize) flush();
    },
  });
  const jobSize = pool.stats.workers > 0 ? Math.min(batchSize, WORKER_JOB_PAYLOADS) : batchSize;
  let payloads: BackfillPayload[] = [];
  const submit = (): void => {
    if (payloads.length === 0) return;
    pool.submit({ payloads, maxFieldChars: ctx.maxFieldChars });
    payloads = [];
  };
  const take = (converted: BackfillPayload[]): void => {
    for (const p of converted) {
      payloads.push(p);
      if (payloads.length >= jobSize) submit();
    }
  };

  try {
    for (const t of files) {
      if (archiveDir !== undefined && archiveFile(t, archiveDir)) report.archived++;
      const converter = createTranscriptConverter(sessionHintOf(t.file), { ...fileContext(t.file), agentTypes });
      const bytesBefore = report.bytes;
      forEachLine(
        t.file,
        maxLineBytes,
        (text) => take(text === null ? converter.push(undefined) : converter.pushText(text)),
        (n) => {
          report.bytes += n;
          options.onProgress?.(report.bytes, bytesTotal);
        },
      );
      if (report.bytes === bytesBefore) options.onProgress?.(report.bytes, bytesTotal);
      take(converter.finish());
      const s = converter.stats();
      report.files++;
      report.lines += s.lines;
      report.payloads += s.payloads;
      report.malformed_lines += s.malformed;
      report.skipped_lines += s.malformed + s.skipped;
    }
    submit();
    pool.finish();
    flush();
  } finally {
    pool.close();
  }
  report.ms = performance.now() - started;
  return report;
}

// ---- walking -------------------------------------------------------------------

/**
 * The *.jsonl transcripts under a path, in an order that lets subagents find their type: in each
 * folder session files first, then flat agent-*.jsonl files, then subfolders (where the newer
 * <session>/subagents/agent-<id>.jsonl files live). Symlinked folders are not followed (no loops).
 */
export function listTranscripts(root: string, exclude?: string): TranscriptFile[] {
  const abs = path.resolve(root);
  const stat = fs.statSync(abs); // throws ENOENT for a path that does not exist
  if (stat.isFile()) return [{ file: abs, rel: path.basename(abs), size: stat.size }];
  const found: TranscriptFile[] = [];
  const walk = (dir: string): void => {
    if (exclude !== undefined && dir === exclude) return;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable folder: nothing to import from it
    }
    const sessions: string[] = [];
    const agents: string[] = [];
    const dirs: string[] = [];
    for (const e of entries) {
      if (e.isDirectory()) dirs.push(e.name);
      else if ((e.isFile() || e.isSymbolicLink()) && e.name.endsWith('.jsonl')) (e.name.startsWith('agent-') ? agents : sessions).push(e.name);
    }
    for (const name of [...sessions.sort(), ...agents.sort()]) {
      const file = path.join(dir, name);
      try {
        const s = fs.statSync(file);
        if (s.isFile()) found.push({ file, rel: path.relative(abs, file), size: s.size });
      } catch {
        // dangling symlink, or deleted meanwhile
      }
    }
    for (const name of dirs.sort()) walk(path.join(dir, name));
  };
  walk(abs);
  return found;
}

/** Session id to use when lines lack one: the file stem, or for subagents the session folder. */
function sessionHintOf(file: string): string {
  const stem = path.basename(file, '.jsonl');
  if (!stem.startsWith('agent-')) return stem;
  const sub = subagentsFolderOf(file);
  return sub === null ? stem : path.basename(path.dirname(sub));
}

/** For agent-<id>.jsonl: the agent id, its type from agent-<id>.meta.json, the parent transcript. */
function fileContext(file: string): { transcriptPath?: string; agentId?: string; agentType?: string; agentTranscriptPath?: string } {
  const stem = path.basename(file, '.jsonl');
  if (!stem.startsWith('agent-')) return { transcriptPath: file };
  const ctx: { transcriptPath?: string; agentId?: string; agentType?: string; agentTranscriptPath?: string } = {
    agentId: stem.slice('agent-'.length),
    agentTranscriptPath: file,
  };
  const sub = subagentsFolderOf(file);
  if (sub !== null) ctx.transcriptPath = `${path.dirname(sub)}.jsonl`;
  try {
    const meta = JSON.parse(fs.readFileSync(file.replace(/\.jsonl$/, '.meta.json'), 'utf8')) as { agentType?: unknown };
    if (typeof meta.agentType === 'string' && meta.agentType) ctx.agentType = meta.agentType;
  } catch {
    // no metadata (older CLIs): the type comes from the parent transcript, else 'unknown'
  }
  return ctx;
}

/** The `<session>/subagents` folder above a subagent file (it may sit in a subfolder), or null. */
function subagentsFolderOf(file: string): string | null {
  for (let dir = path.dirname(file), i = 0; i < 4 && path.dirname(dir) !== dir; dir = path.dirname(dir), i++) {
    if (path.basename(dir) === 'subagents') return dir;
  }
  return null;
}

// ---- streaming -----------------------------------------------------------------

/**
 * Calls `onLine` for every line of a file, reading it in 1 MiB chunks. A line longer than
 * `maxLineBytes` is reported as null (and its bytes dropped as they arrive, not collected).
 */
export function forEachLine(file: string, maxLineBytes: number, onLine: (text: string | null) => void, onBytes?: (n: number) => void): void {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.allocUnsafe(CHUNK_BYTES);
    let parts: Buffer[] = [];
    let partBytes = 0;
    let oversized = false;
    const endLine = (tail: Buffer): void => {
      if (oversized || partBytes + tail.length > maxLineBytes) onLine(null);
      else {
        const whole = parts.length === 0 ? tail : Buffer.concat([...parts, tail]);
        const text = whole.toString('utf8', 0, whole.length > 0 && whole[whole.length - 1] === 0x0d ? whole.length - 1 : whole.length);
        if (text.trim() !== '') onLine(text);
      }
      parts = [];
      partBytes = 0;
      oversized = false;
    };
    for (;;) {
      const n = fs.readSync(fd, buf, 0, CHUNK_BYTES, null);
      if (n === 0) break;
      const chunk = buf.subarray(0, n);
      let start = 0;
      for (let nl = chunk.indexOf(0x0a, start); nl !== -1; nl = chunk.indexOf(0x0a, start)) {
        endLine(chunk.subarray(start, nl));
        start = nl + 1;
      }
      if (start < n) {
        if (!oversized && partBytes + (n - start) <= maxLineBytes) {
          parts.push(Buffer.from(chunk.subarray(start))); // copy: buf is reused for the next chunk
          partBytes += n - start;
        } else {
          oversized = true;
          parts = [];
        }
      }
      onBytes?.(n);
    }
    if (partBytes > 0 || oversized) endLine(Buffer.alloc(0));
  } finally {
    fs.closeSync(fd);
  }
}

// ---- archive -------------------------------------------------------------------

/**
 * Copies a transcript into the archive unless an identical copy is there: same size and same
 * modification time (copies keep the source's mtime; transcripts only ever grow). Returns
 * whether it copied. The copy goes through a temporary name, so a crash leaves no half file.
 */
export function archiveFile(t: TranscriptFile, archiveDir: string): boolean {
  const dest = path.join(archiveDir, t.rel);
  if (path.resolve(dest) === path.resolve(t.file)) return false;
  // A subagent's agent-<id>.meta.json holds its type: keep it beside the archived transcript.
  const meta = t.file.replace(/\.jsonl$/, '.meta.json');
  if (path.basename(t.file).startsWith('agent-') && fs.existsSync(meta)) copyIfChanged(meta, dest.replace(/\.jsonl$/, '.meta.json'));
  return copyIfChanged(t.file, dest);
}

function copyIfChanged(from: string, to: string): boolean {
  const src = fs.statSync(from);
  try {
    const old = fs.statSync(to);
    if (old.size === src.size && Math.abs(old.mtimeMs - src.mtimeMs) < 1) return false;
  } catch {
    // not archived yet
  }
  copyFileWhole(from, to, { mkdir: true, source: src });
  return true;
}

// ---- dedup against live capture ------------------------------------------------

/**
 * Calls are deduplicated by the store through tool_use_id. Prompts, session and subagent events
 * have no such key, so for a session the hooks captured live, the backfilled ones inside the
 * period the hooks covered are dropped. Hook payloads from old CLIs lack tool_use_id; when a
 * session has such calls, backfilled calls in the covered period are dropped too.
 */
function hookCoverage(store: EventStore): (record: EventRecord) => boolean {
  const windows = new Map<string, { min: number; max: number; idless: boolean } | null>();
  return (record) => {
    let w = windows.get(record.session_id);
    if (w === undefined) {
      w = null;
      for (const e of store.events({ session_id: record.session_id })) {
        if (e.source !== 'hook') continue;
        const idless = e.tool_name !== null && e.tool_use_id === null;
        w = w === null ? { min: e.ts_ms, max: e.ts_ms, idless } : { min: Math.min(w.min, e.ts_ms), max: Math.max(w.max, e.ts_ms), idless: w.idless || idless };
      }
      windows.set(record.session_id, w);
    }
    if (w === null || record.ts_ms < w.min - HOOK_WINDOW_SLACK_MS || record.ts_ms > w.max + HOOK_WINDOW_SLACK_MS) return false;
    return record.tool_use_id === null || w.idless;
  };
}
