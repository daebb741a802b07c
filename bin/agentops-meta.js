#!/usr/bin/env node
// Entry point: the CLI is bundled into dist/ by `npm run build`.
import { main } from '../dist/cli.js';

// `agentops-meta events | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
process.exitCode = await main(process.argv.slice(2));
