import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** How to start bench/server-child: the node arguments. */
export interface Launch {
  runtime: 'dist' | 'tsx';
  args: string[];
}

/** Runs the TypeScript sources through tsx: no build step, but the loader adds tens of MB of RSS. */
export function tsxLaunch(): Launch {
  // An absolute loader URL: the child's working directory is a temp directory.
  return { runtime: 'tsx', args: ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('../server-child.ts', import.meta.url))] };
}

/**
 * Compiles src/ and bench/server-child.ts with tsc into `outDir` (inside the repo, so that
 * node_modules resolves) and returns how to start the compiled child: the same JavaScript
 * `npm start` runs, so memory is the server's own and not a loader's.
 */
export async function compileServer(outDir: string): Promise<Launch> {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const tsconfig = join(outDir, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(REPO_ROOT, 'tsconfig.json'),
      compilerOptions: { rootDir: REPO_ROOT, outDir, noEmit: false, sourceMap: false, declaration: false, incremental: false },
      include: [join(REPO_ROOT, 'src'), join(REPO_ROOT, 'bench/server-child.ts')],
      exclude: [join(REPO_ROOT, 'src/**/*.test.ts')],
    }),
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const entry = join(outDir, 'bench/server-child.js');
  try {
    await promisify(execFile)(process.execPath, [tsc, '-p', tsconfig], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  } catch (err) {
    // tsc still emits on type errors; measure what was emitted, but say so.
    const out = String((err as { stdout?: string }).stdout ?? (err as Error).message);
    if (!existsSync(entry)) throw new Error(`tsc could not compile the server:\n${out.split('\n').slice(0, 10).join('\n')}`);
    process.stderr.write(`bench: warning: tsc reported type errors (measuring anyway):\n${out.split('\n').slice(0, 5).join('\n')}\n`);
  }
  return { runtime: 'dist', args: [entry] };
}
