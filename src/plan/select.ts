// Chooses the advice for a prompt. Pure; shared by the prompt hook and `agentops-meta plan`.
import { scoreBm25 } from './bm25.js';
import type { PromptContext } from './context-bundle.js';
import { renderAdvice, type Rendered } from './render.js';

/** Advice relevant to the prompt and not injected earlier in this session, within the budget. */
export function selectForPrompt(prompt: PromptContext, text: string, already: ReadonlySet<string>): Rendered {
  const relevant = scoreBm25(prompt.index, text)
    .filter((s) => s.score >= prompt.min_relevance && !already.has(s.id) && prompt.advice[s.id])
    .slice(0, prompt.top)
    .map((s) => prompt.advice[s.id]!);
  // the prompt index is built from every project's sessions (context-bundle.ts): never "in this project"
  return renderAdvice(relevant, prompt.budget_chars, 'all your projects');
}
