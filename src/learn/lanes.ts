// Steps that ran at the same time, within one lane: the main thread, or the steps inside one
// subagent type. A subagent's own calls overlap its Agent step by nesting, which is not parallelism,
// so lanes are never mixed. One sweep for the parallel miner (parallel.ts, 'observed') and the
// held-out check of its claims (evaluate.ts), so both count the same pairs. Pure.
import type { Step } from '../core/types.js';

/**
 * Calls visit(x, y) for every pair of steps of one lane whose intervals overlap, x the one that
 * starts first: y starts at or before x ends (`strict`: before). Lanes in order of their first
 * step, steps by start time (ties in input order).
 */
export function forEachOverlap(steps: readonly Step[], strict: boolean, visit: (x: Step, y: Step) => void): void {
  const lanes = new Map<string | null, Step[]>();
  for (const s of steps) {
    let lane = lanes.get(s.agent);
    if (lane === undefined) lanes.set(s.agent, (lane = []));
    lane.push(s);
  }
  for (const lane of lanes.values()) {
    lane.sort((a, b) => a.start_ms - b.start_ms);
    for (let i = 0; i < lane.length; i++) {
      const x = lane[i] as Step;
      for (let j = i + 1; j < lane.length; j++) {
        const y = lane[j] as Step;
        // Sorted by start, so the first y that starts after x ends closes the sweep for x.
        if (strict ? y.start_ms >= x.end_ms : y.start_ms > x.end_ms) break;
        visit(x, y);
      }
    }
  }
}
