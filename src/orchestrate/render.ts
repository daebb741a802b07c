// The plan as text within a character budget. Pure. Every line has a weight (the sessions behind
// it); when the whole does not fit, the lightest lines go first, and the header, the phase titles
// and the notes on what is not known stay (a plan cut to nothing still says why).
import type { Plan, PlanStep } from './draft.js';

export const DEFAULT_BUDGET = 2000;

const pct = (x: number | null) => (x === null ? '?' : `${Math.round(x * 100)}%`);

function stepLine(s: PlanStep): string {
  const e = s.evidence;
  // No baseline: every session that ran tests had it (Bash:test itself), so there is nothing to compare.
  const rate = e.pass_rate === null ? '' : e.baseline === null ? `; tests passed ${pct(e.pass_rate)}` : `; tests passed ${pct(e.pass_rate)} with it vs ${pct(e.baseline)} without`;
  return `   - ${s.activity}: in ${e.sessions}/${e.of} green sessions${rate}` +
    `${e.pattern ? `; pattern ${e.pattern}` : ''}${e.thin ? ' (thin evidence)' : ''}`;
}

function clip(text: string, n: number): string {
  const one = text.replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

interface Line {
  text: string;
  /** higher stays longer; Infinity never drops */
  weight: number;
}

function scopeText(plan: Plan): string {
  const b = plan.basis;
  switch (b.scope) {
    case 'project':
      return `${b.similar} most like the task in this project, ${b.green} of them green`;
    case 'global':
      return `${b.similar} most like the task across projects, ${b.green} of them green`;
    case 'all-green':
      return `none close enough to the task: all ${b.green} green sessions (global plan)`;
    case 'none':
      return 'too few green sessions to plan from';
  }
}

export function renderPlan(plan: Plan, budget = DEFAULT_BUDGET): string {
  const lines: Line[] = [
    { text: `Workflow drafted by agentops-meta for: ${clip(plan.task, 80)}`, weight: Infinity },
    { text: `Basis: ${plan.basis.sessions} recorded sessions; ${scopeText(plan)}.`, weight: Infinity },
  ];
  plan.phases.forEach((ph, i) => {
    const top = Math.max(0, ...ph.steps.map((s) => s.evidence.sessions));
    lines.push({ text: `${i + 1}. ${ph.name}`, weight: Infinity });
    for (const s of ph.steps) lines.push({ text: stepLine(s), weight: s.evidence.sessions + s.evidence.share });
    ph.parallel_evidence.forEach((g) => {
      lines.push({
        text: `   in parallel: ${g.members.join(' + ')} (${g.sessions} sessions; tests passed ${pct(g.pass_rate)} vs ${pct(g.baseline)}${g.saved_ms > 0 ? `; saved ${(g.saved_ms / 1000).toFixed(1)} s each time` : ''})`,
        weight: g.sessions / 2,
      });
    });
    if (ph.gate) lines.push({ text: `   test gate: run the tests here (${ph.gate.sessions}/${ph.gate.of} green sessions did)`, weight: top + 1 });
  });
  if (plan.order.length) {
    lines.push({ text: `Order seen in the green sessions: ${plan.order.map((p) => `${p.before} before ${p.after} (${Math.round(p.share * 100)}% of ${p.sessions})`).join('; ')}`, weight: 1 });
  }
  for (const a of plan.avoid) {
    lines.push({ text: `Avoid: ${a.steps.join(' → ')} (${a.sessions} sessions; tests passed ${pct(a.pass_rate)} vs ${pct(a.baseline)})`, weight: a.sessions / 2 });
  }
  for (const s of plan.not_installed) lines.push({ text: `Not installed here (not suggested): ${s.activity}, used in ${s.evidence.sessions}/${s.evidence.of} green sessions`, weight: s.evidence.sessions / 2 });
  for (const n of plan.notes) lines.push({ text: `Note: ${n}`, weight: Infinity });
  if (plan.phases.length) lines.push({ text: 'Follow it where it fits the task; it is what past green sessions did, not a rule.', weight: Infinity });

  const size = (ls: Line[]) => ls.reduce((n, l) => n + l.text.length + 1, 0);
  let kept = lines;
  // Trimming aims below the budget by the length of the line that says what was left out.
  if (size(kept) > budget) {
    // Drop the lightest lines (ties: the later one) until it fits.
    const order = lines.map((l, i) => [l, i] as const).filter(([l]) => l.weight !== Infinity).sort((x, y) => x[0].weight - y[0].weight || y[1] - x[1]);
    const dropped = new Set<number>();
    let total = size(lines);
    for (const [l, i] of order) {
      if (total <= budget - 100) break;
      dropped.add(i);
      total -= l.text.length + 1;
    }
    kept = lines.filter((_, i) => !dropped.has(i));
    if (dropped.size) kept.push({ text: `(${dropped.size} lighter line${dropped.size === 1 ? '' : 's'} left out to fit ${budget} characters; --json has all)`, weight: Infinity });
  }
  let text = kept.map((l) => l.text).join('\n');
  if (text.length > budget) text = `${text.slice(0, Math.max(0, budget - 1))}…`;
  return text;
}
