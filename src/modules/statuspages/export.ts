// Writing a status page's files to a directory (principle 14): `hikeshi statuspage export` and the
// periodic export both use this, so a second web server or bucket always has a complete copy.
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { SnapshotFile } from './model.js';

/** The marker that says a directory holds an export (so a mistyped --out never deletes someone's files). */
export const EXPORT_MARKER = '.hikeshi-statuspage';

/** A path from a snapshot, refused if it would leave the directory. */
function target(dir: string, path: string): string {
  const full = resolve(dir, path);
  if (path.startsWith('/') || path.includes('\\') || !full.startsWith(resolve(dir) + sep)) {
    throw new Error(`Refusing to write outside the export directory: ${path}`);
  }
  return full;
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    for (const e of await readdir(d, { withFileTypes: true }).catch(() => [])) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  await walk(dir);
  return out;
}

/**
 * Writes the files into `dir`, each by write-then-rename so a web server serving the directory
 * never sees half a file, then removes files of an earlier export that are no longer part of the
 * page. A non-empty directory without the export marker is refused.
 */
export async function writeExport(dir: string, files: SnapshotFile[], meta: { slug: string; builtAt: string }): Promise<{ written: number; removed: number }> {
  await mkdir(dir, { recursive: true });
  const existing = await listFiles(dir);
  if (existing.length > 0 && !existing.includes(EXPORT_MARKER)) {
    throw new Error(`${dir} is not empty and holds no earlier status page export; choose an empty directory`);
  }
  const keep = new Set<string>([EXPORT_MARKER]);
  const suffix = `.tmp-${process.pid}-${Date.now()}`;
  for (const f of files) {
    const full = target(dir, f.path);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full + suffix, f.body);
    await rename(full + suffix, full);
    keep.add(f.path);
  }
  await writeFile(join(dir, EXPORT_MARKER), JSON.stringify({ page: meta.slug, builtAt: meta.builtAt, files: files.length }) + '\n');
  let removed = 0;
  for (const old of existing) {
    if (!keep.has(old)) {
      await rm(join(dir, old), { force: true });
      removed++;
    }
  }
  return { written: files.length, removed };
}

/** Removes the export of a page that is no longer served, if the directory is one (it holds the marker). */
export async function removeExport(dir: string): Promise<void> {
  const files = await listFiles(dir);
  if (!files.includes(EXPORT_MARKER)) return;
  await rm(dir, { recursive: true, force: true });
}
