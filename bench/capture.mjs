// Capture hook latency against `node -e 0`, side by side in one run. Target: median ≤ 0.10×.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fmt, interleaved, report, timeSpawn } from './lib.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const hook = path.join(root, 'hooks', 'agentops-capture.sh');

export function benchCapture(runs = 60) {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'am-bench-cap-'));
  const payload = JSON.stringify({
    session_id: 'bench', hook_event_name: 'PreToolUse', cwd: root, tool_name: 'Bash', tool_use_id: 'toolu_bench',
    tool_input: { command: 'npm test', description: 'x'.repeat(1500) },
  });
  const env = { ...process.env, AGENTOPS_META_HOME: home };
  const medians = interleaved(runs, {
    node: () => timeSpawn(process.execPath, ['-e', '0'], { env }),
    capture: () => timeSpawn(hook, ['PreToolUse'], { env, input: payload }),
    sh_cat: () => timeSpawn('/bin/sh', ['-c', `cat > "${home}/plain.json"`], { env, input: payload }),
  });
  const stored = fs.readdirSync(path.join(home, 'spool')).filter((n) => n.endsWith('.json')).length;
  fs.rmSync(home, { recursive: true, force: true });
  const ratio = medians.capture / medians.node;
  report('capture hook (median wall time, interleaved runs)', [
    [`runs each`, runs],
    [`node -e 0`, `${fmt(medians.node)} ms  (baseline 1.00x)`],
    [`POSIX sh: cat stdin > file`, `${fmt(medians.sh_cat)} ms  (${fmt(medians.sh_cat / medians.node, 3)}x)`],
    [`hooks/agentops-capture.sh`, `${fmt(medians.capture)} ms  (${fmt(ratio, 3)}x, target <= 0.10x: ${ratio <= 0.1 ? 'met' : 'NOT met'})`],
    [`payloads kept`, `${stored} of ${runs}`],
  ]);
  return { ratio, medians };
}
