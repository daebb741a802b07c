#!/usr/bin/env node
// Entry point: the CLI is bundled into dist/ by `npm run build`.

// `agentops-meta events | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});
const argv = process.argv.slice(2);
// `orchestrate` reads one precomputed file: it runs from its own small bundle, without the full
// CLI's start-up (commander, SQLite, git), so it costs about one node start.
if (argv[0] === 'orchestrate') process.exitCode = await (await import('../dist/orchestrate.js')).orchestrateMain(argv.slice(1));
else process.exitCode = await (await import('../dist/cli.js')).main(argv);
