// Makes docs/dashboard.png, the README's screenshot of `report --html`, from the demo's data: the
// demo into a scratch folder, the report of its data folder, then headless Chromium as
// test/dashboard-browser.test.ts drives it. `npm run docs` (after a build). Needs chromium on PATH
// (or CHROMIUM_BIN).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'bin', 'agentops-meta.js');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'agentops-meta-docs-'));
const run = (cmd, args, env = process.env) => {
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${path.basename(cmd)} ${args.join(' ')} failed: ${r.stderr || r.stdout}`);
  return r.stdout;
};
try {
  const demo = JSON.parse(run(process.execPath, [cli, 'demo', '--dir', work, '--json']));
  const env = { ...process.env, AGENTOPS_META_HOME: path.join(work, 'data') };
  const html = path.join(work, 'report.html');
  run(process.execPath, [cli, 'report', '--html', html, '--project', path.join(work, 'project')], env);
  const chromium = process.env.CHROMIUM_BIN ?? 'chromium';
  const png = path.join(root, 'docs', 'dashboard.png');
  run(chromium, [
    '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', `--user-data-dir=${path.join(work, 'profile')}`,
    '--window-size=1280,3400', '--hide-scrollbars', `--screenshot=${png}`, `file://${html}`,
  ], { ...process.env, HOME: work });
  console.log(`wrote ${path.relative(process.cwd(), png)} from the demo's ${demo.sessions} sessions`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
