// How a zod rejection is told in one line: the first problem, where it is and what it is. Pure.
import type { z } from 'zod';

/** `path: message` of the first issue (`top level` when the root is at fault), or null when there is none. */
export function firstIssue(error: z.ZodError): string | null {
  const issue = error.issues[0];
  return issue ? `${issue.path.join('.') || 'top level'}: ${issue.message}` : null;
}
