// Adds and removes agentops-meta hook handlers in a Claude Code settings object. Pure: the
// installer (install.ts) reads and writes the file; this module only computes the new object.
//
// Settings shape: { hooks: { <Event>: [ { matcher?, hooks: [ { type, command, timeout } ] } ] }, ... }.
// Our handlers are recognised by the script they run (ourScriptName), whatever the install root,
// so a reinstall from another path replaces the old handlers in place instead of adding copies.
// Everything that is not ours is passed through untouched (same objects, same order).

import type { HookEntry } from './hook-spec.js';
import { ourScriptName } from './hook-spec.js';

type JsonObject = Record<string, unknown>;

export type SettingsErrorKind = 'settings-not-object' | 'hooks-not-object' | 'event-not-array';

/** Why a settings object cannot be edited safely. We refuse rather than guess and overwrite. */
export interface SettingsError {
  kind: SettingsErrorKind;
  message: string;
}

export type MergeResult =
  | {
      ok: true;
      settings: JsonObject;
      /** events where one of our handlers was added or rewritten (new root, timeout, ...) */
      added: string[];
      /** events where a stale handler of ours was dropped and nothing of ours replaced it */
      removed: string[];
      /** handlers that are not ours, left as they were */
      kept: number;
    }
  | { ok: false; error: SettingsError };

export type RemoveResult =
  | {
      ok: true;
      settings: JsonObject;
      /** events from which at least one of our handlers was removed */
      removed: string[];
    }
  | { ok: false; error: SettingsError };

/** Description written into the plugin's hooks/hooks.json. */
export const PLUGIN_HOOKS_DESCRIPTION =
  'agentops-meta: records every hook payload to a local spool (capture) and adds learned workflow hints at session start (planner).';

function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return `a ${typeof v}`;
}

/** "*", "" and no matcher all mean "every occurrence" to Claude Code. */
function matcherKey(matcher: unknown): string {
  if (matcher === undefined || matcher === '' || matcher === '*') return '';
  return typeof matcher === 'string' ? matcher : JSON.stringify(matcher);
}

function scriptOf(handler: unknown): string | null {
  if (!isObject(handler) || typeof handler.command !== 'string') return null;
  return ourScriptName(handler.command);
}

function handlerFor(entry: HookEntry): JsonObject {
  return { type: 'command', command: entry.command, timeout: entry.timeout };
}

function groupFor(entry: HookEntry): JsonObject {
  const hooks = [handlerFor(entry)];
  return entry.matcher === undefined ? { hooks } : { matcher: entry.matcher, hooks };
}

/** Exactly the handler we would write: no extra keys (an `async: true` added by hand is undone). */
function isExactly(handler: unknown, wanted: JsonObject): boolean {
  if (!isObject(handler)) return false;
  const keys = Object.keys(handler);
  return keys.length === Object.keys(wanted).length && keys.every((k) => handler[k] === wanted[k]);
}

/** A group made only of our handlers: new handlers of ours with the same matcher may join it. */
function isOurGroup(group: unknown, matcher: string): group is JsonObject & { hooks: unknown[] } {
  return (
    isObject(group) &&
    matcherKey(group.matcher) === matcher &&
    Array.isArray(group.hooks) &&
    group.hooks.length > 0 &&
    group.hooks.every((h) => scriptOf(h) !== null)
  );
}

function validate(settings: unknown, entries: readonly HookEntry[]): SettingsError | null {
  if (!isObject(settings)) {
    return { kind: 'settings-not-object', message: `settings must be a JSON object, found ${describe(settings)}` };
  }
  const hooks = settings.hooks;
  if (hooks === undefined) return null;
  if (!isObject(hooks)) {
    return { kind: 'hooks-not-object', message: `"hooks" must be a JSON object, found ${describe(hooks)}` };
  }
  for (const entry of entries) {
    const groups = hooks[entry.event];
    if (groups !== undefined && !Array.isArray(groups)) {
      return {
        kind: 'event-not-array',
        message: `"hooks.${entry.event}" must be an array of matcher groups, found ${describe(groups)}`,
      };
    }
  }
  return null;
}

interface Rewrite {
  hooks: JsonObject;
  hadHooks: boolean;
  added: Set<string>;
  removed: Set<string>;
  kept: number;
}

/**
 * One pass over the existing hooks: keep foreign handlers, keep ours that already match an entry,
 * rewrite ours that match an entry's event+matcher+script but differ, drop ours that match none.
 * Then append the entries that found no place. Assumes validate() passed.
 */
function rewrite(settings: JsonObject, entries: readonly HookEntry[]): Rewrite {
  const hooksIn = isObject(settings.hooks) ? settings.hooks : {};
  const pending = [...entries];
  const added = new Set<string>();
  const removed = new Set<string>();
  let kept = 0;
  const hooks: JsonObject = {};

  for (const [event, groups] of Object.entries(hooksIn)) {
    if (!Array.isArray(groups)) {
      hooks[event] = groups; // not an event we register (validate() checked those): not ours to judge
      continue;
    }
    const outGroups: unknown[] = [];
    let eventHadOurs = false;
    for (const group of groups) {
      if (!isObject(group) || !Array.isArray(group.hooks)) {
        outGroups.push(group);
        continue;
      }
      const matcher = matcherKey(group.matcher);
      const outHandlers: unknown[] = [];
      let groupHadOurs = false;
      for (const handler of group.hooks) {
        const script = scriptOf(handler);
        if (script === null) {
          outHandlers.push(handler);
          kept += 1;
          continue;
        }
        groupHadOurs = true;
        const i = pending.findIndex(
          (e) => e.event === event && matcherKey(e.matcher) === matcher && ourScriptName(e.command) === script,
        );
        const entry = i < 0 ? undefined : pending.splice(i, 1)[0];
        if (entry === undefined) {
          removed.add(event);
          continue;
        }
        const wanted = handlerFor(entry);
        if (isExactly(handler, wanted)) {
          outHandlers.push(handler);
        } else {
          outHandlers.push(wanted);
          added.add(event);
        }
      }
      eventHadOurs ||= groupHadOurs;
      if (!groupHadOurs) outGroups.push(group);
      else if (outHandlers.length > 0) outGroups.push({ ...group, hooks: outHandlers });
      // else: the group held only our handlers and they are gone: drop it
    }
    if (eventHadOurs && outGroups.length === 0) continue; // emptied by us: drop the event
    hooks[event] = eventHadOurs ? outGroups : groups;
  }

  for (const entry of pending) {
    const current = hooks[entry.event];
    const groups = Array.isArray(current) ? [...current] : [];
    const matcher = matcherKey(entry.matcher);
    let target = -1;
    for (let i = groups.length - 1; i >= 0 && target < 0; i -= 1) if (isOurGroup(groups[i], matcher)) target = i;
    const group = target < 0 ? undefined : groups[target];
    if (group !== undefined && isOurGroup(group, matcher)) {
      groups[target] = { ...group, hooks: [...group.hooks, handlerFor(entry)] };
    } else {
      groups.push(groupFor(entry));
    }
    hooks[entry.event] = groups;
    added.add(entry.event);
  }

  return { hooks, hadHooks: settings.hooks !== undefined, added, removed, kept };
}

function withHooks(settings: JsonObject, hooks: JsonObject, keepKey: boolean): JsonObject {
  if (keepKey) return { ...settings, hooks }; // spread keeps "hooks" where it was; new keys go last
  const { hooks: _dropped, ...rest } = settings;
  return rest;
}

/**
 * Registers `entries` in `settings`. Idempotent: merging the result again changes nothing.
 * Untouched parts of the result are shared with the input; treat both as immutable.
 */
export function mergeHooks(settings: unknown, entries: readonly HookEntry[]): MergeResult {
  const error = validate(settings, entries);
  if (error !== null) return { ok: false, error };
  const s = settings as JsonObject;
  const r = rewrite(s, entries);
  const keepKey = r.hadHooks || Object.keys(r.hooks).length > 0;
  return {
    ok: true,
    settings: withHooks(s, r.hooks, keepKey),
    added: [...r.added],
    removed: [...r.removed].filter((e) => !r.added.has(e)),
    kept: r.kept,
  };
}

/**
 * Removes every handler of ours (any install root), the matcher groups and event arrays that held
 * only ours, and the "hooks" object itself when nothing else was in it.
 */
export function removeHooks(settings: unknown): RemoveResult {
  const error = validate(settings, []);
  if (error !== null) return { ok: false, error };
  const s = settings as JsonObject;
  const r = rewrite(s, []);
  const emptiedByUs = r.removed.size > 0 && Object.keys(r.hooks).length === 0;
  return {
    ok: true,
    settings: withHooks(s, r.hooks, r.hadHooks && !emptiedByUs),
    removed: [...r.removed],
  };
}

/** Settings files as Claude Code writes them: 2-space indent, trailing newline. */
export function formatSettingsJson(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** The plugin's hooks/hooks.json document: the settings "hooks" object under a top-level "hooks" key. */
export function pluginHooksDocument(entries: readonly HookEntry[]): { description: string; hooks: JsonObject } {
  return { description: PLUGIN_HOOKS_DESCRIPTION, hooks: rewrite({}, entries).hooks };
}
