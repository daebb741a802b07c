// Bundles the CLI into dist/. Dependencies stay external (installed by npm); our own code is one file.
import { build } from 'esbuild';

await build({
  entryPoints: { cli: 'src/cli/main.ts', lib: 'src/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
