#!/usr/bin/env node
// Entry point of the `hikeshi` command: runs the compiled CLI (built by `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const main = fileURLToPath(new URL('../dist/cli/main.js', import.meta.url));
if (!existsSync(main)) {
  console.error('hikeshi: not built yet. Run `npm run build` (or `npm start`) first.');
  process.exit(1);
}
await import(main);
