import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { StatusExport } from '../../modules/statuspages/export.routes.js';
import { writeExport } from '../../modules/statuspages/export.js';
import { println, usageError } from '../io.js';
import { apiFor, type CommandContext } from './common.js';

/** `hikeshi statuspage export`: a status page as plain files that any web server or bucket can host. */
export function registerStatusPage(program: Command, ctx: CommandContext): void {
  const { io } = ctx;
  const statuspage = program.command('statuspage').description('public status pages on the logged-in server');

  statuspage
    .command('export')
    .description('write the status page (HTML, Statuspage-style JSON API, Atom/RSS feeds) as static files')
    .requiredOption('--out <dir>', 'directory to write; created if missing, must be empty or an earlier export')
    .option('--page <slug>', 'which page (default: every page; one folder per page when there are several)')
    .action(async (o: { out: string; page?: string }) => {
      const api = apiFor(io);
      let slugs: string[];
      if (o.page) slugs = [o.page];
      else {
        const res = await api.request<{ pages: { slug: string }[] }>('GET', '/status-pages');
        slugs = res.body.pages.map((p) => p.slug);
        if (slugs.length === 0) throw usageError('There are no status pages yet: create one in the web UI (Admin → Status pages) first.');
      }
      for (const slug of slugs) {
        const res = await api.request<StatusExport>('GET', `/status-pages/${encodeURIComponent(slug)}/export`);
        const dir = slugs.length === 1 ? resolve(o.out) : resolve(o.out, res.body.page.slug);
        const { written, removed } = await writeExport(dir, res.body.files, { slug: res.body.page.slug, builtAt: res.body.builtAt }).catch((err: Error) => {
          throw usageError(err.message);
        });
        const stale = res.body.staleSince ? ` (the server could not reach its database since ${res.body.staleSince}: this is its last snapshot)` : '';
        println(io.stdout, `${res.body.page.slug}: ${written} files written to ${dir}${removed ? `, ${removed} old files removed` : ''}, as of ${res.body.builtAt}${stale}`);
      }
    });
}
