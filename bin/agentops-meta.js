#!/usr/bin/env node
// Entry point: the CLI is bundled into dist/ by `npm run build`.
import { main } from '../dist/cli.js';

process.exitCode = await main(process.argv.slice(2));
