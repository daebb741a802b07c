// Runs every benchmark and prints its figures against a baseline measured in the same run.
import { benchCapture } from './capture.mjs';
import { benchIngest } from './ingest.mjs';

console.log(`# agentops-meta benchmarks (node ${process.version}, ${new Date().toISOString()})`);
benchCapture();
benchIngest();
