// The layering rules of ARCHITECTURE.md, checked against the real import graph (test/layers.test.ts,
// `npm run layers`). The table in ARCHITECTURE.md is the single source: each row names a layer (its
// bold word), the files it holds (backticked paths; a folder ends in "/", the longest match wins) and
// what it may import (layer names, backticked packages, `node:*`, or "any package").
// The graph comes from esbuild's metafile (a kept tool: it builds every bundle here), so imports are
// resolved exactly as the build resolves them; type-only imports are erased, as at run time.
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';

export interface Layer {
  id: string;
  paths: string[];
  layers: Set<string>;
  packages: string[];
  anyPackage: boolean;
}

export interface Violation {
  rule: 'unlisted' | 'upward' | 'forbidden-package' | 'cycle' | 'hook-bundle';
  from: string;
  to: string;
}

/** The layer table under "## Layers" in ARCHITECTURE.md. */
export function layersFromArchitecture(markdown: string): Layer[] {
  const section = markdown.split(/^## Layers\s*$/m)[1]?.split(/^## /m)[0] ?? '';
  const rows = section.split('\n').filter((l) => l.startsWith('|') && !/^\|\s*-/.test(l) && !/^\|\s*layer\s*\|/.test(l));
  return rows.map((row) => {
    const [layer = '', files = '', , mayImport = ''] = row.split('|').slice(1).map((c) => c.trim());
    const id = /\*\*([^*]+)\*\*/.exec(layer)?.[1];
    if (!id) throw new Error(`layer row without a **name**: ${row}`);
    const ticks = (cell: string): string[] => [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    // layer names, outside backticks and (remarks in parentheses)
    const named = mayImport.replace(/\([^)]*\)/g, '').replace(/`[^`]*`/g, '').split(/[,;]/).map((w) => w.trim()).filter(Boolean);
    return {
      id,
      paths: ticks(files).filter((p) => p.startsWith('src/') || p.startsWith('hooks/')),
      layers: new Set(named.filter((w) => w !== 'any package')),
      packages: ticks(mayImport.replace(/\([^)]*\)/g, '')),
      anyPackage: named.includes('any package'),
    };
  });
}

/** The layer a repository file belongs to: the row with the longest matching path. */
export function layerOf(layers: readonly Layer[], file: string): Layer | null {
  let best: { layer: Layer; len: number } | null = null;
  for (const layer of layers) {
    for (const p of layer.paths) {
      const hit = p.endsWith('/') ? file.startsWith(p) : p.includes('*') ? new RegExp(`^${p.replace(/\./g, '\\.').replace(/\*/g, '[^/]*')}$`).test(file) : file === p;
      if (hit && (!best || p.length > best.len)) best = { layer, len: p.length };
    }
  }
  return best?.layer ?? null;
}

export interface ImportEdge {
  from: string;
  to: string;
  external: boolean;
}

/** The TypeScript files under `root`/src and every import between them, as the build resolves them. */
export async function importGraph(root: string): Promise<{ files: string[]; edges: ImportEdge[] }> {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (p.endsWith('.ts') && !p.endsWith('.d.ts')) files.push(path.relative(root, p));
    }
  };
  walk(path.join(root, 'src'));
  const result = await build({
    absWorkingDir: root,
    entryPoints: files,
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    outdir: 'layers-out',
    logLevel: 'silent',
  });
  const edges: ImportEdge[] = [];
  for (const [from, input] of Object.entries(result.metafile.inputs)) {
    for (const imp of input.imports) edges.push({ from, to: imp.path, external: imp.external === true });
  }
  return { files: files.map((f) => f.split(path.sep).join('/')), edges };
}

/** The package name of a bare import ("zod/v4" → "zod", "@a/b/c" → "@a/b"); `node:*` for builtins. */
function packageOf(specifier: string): string {
  if (specifier.startsWith('node:')) return 'node:*';
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Violations of the table by the import graph, and of the hooks rule by the committed bundles. */
export function checkLayers(
  layers: readonly Layer[],
  graph: { files: readonly string[]; edges: readonly ImportEdge[] },
  hookBundles: readonly { file: string; text: string }[] = [],
): Violation[] {
  const out: Violation[] = [];
  for (const f of graph.files) if (!layerOf(layers, f)) out.push({ rule: 'unlisted', from: f, to: '' });
  const internal = new Map<string, string[]>();
  for (const e of graph.edges) {
    const from = layerOf(layers, e.from);
    if (!from) continue;
    if (e.external) {
      const pkg = packageOf(e.to);
      if (!from.anyPackage && !from.packages.includes(pkg)) out.push({ rule: 'forbidden-package', from: e.from, to: e.to });
      continue;
    }
    internal.set(e.from, [...(internal.get(e.from) ?? []), e.to]);
    const to = layerOf(layers, e.to);
    if (to && to !== from && !from.layers.has(to.id)) out.push({ rule: 'upward', from: e.from, to: e.to });
  }
  // cycles: depth-first search, each cycle reported once by the edge that closes it
  const state = new Map<string, 1 | 2>();
  const visit = (f: string): void => {
    state.set(f, 1);
    for (const t of internal.get(f) ?? []) {
      if (state.get(t) === 1) out.push({ rule: 'cycle', from: f, to: t });
      else if (!state.has(t)) visit(t);
    }
    state.set(f, 2);
  };
  for (const f of [...internal.keys()].sort()) if (!state.has(f)) visit(f);
  for (const { file, text } of hookBundles) {
    for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["']([^"']+)["']/g)) {
      if (!m[1]!.startsWith('node:')) out.push({ rule: 'hook-bundle', from: file, to: m[1]! });
    }
  }
  return out;
}

/** The check over a checkout: its ARCHITECTURE.md, src/ and hooks/*.mjs. */
export async function checkCheckout(root: string): Promise<Violation[]> {
  const layers = layersFromArchitecture(fs.readFileSync(path.join(root, 'ARCHITECTURE.md'), 'utf8'));
  const hooks = fs.readdirSync(path.join(root, 'hooks')).filter((n) => n.endsWith('.mjs'));
  return checkLayers(layers, await importGraph(root), hooks.map((n) => ({ file: `hooks/${n}`, text: fs.readFileSync(path.join(root, 'hooks', n), 'utf8') })));
}

export const formatViolation = (v: Violation): string => `${v.rule}: ${v.from}${v.to ? ` imports ${v.to}` : ' is in no layer of the ARCHITECTURE.md table'}`;
