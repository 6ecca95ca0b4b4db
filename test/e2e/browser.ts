// What every browser test needs: a built UI, a real server on a loopback port, Debian's Chromium.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { type Config, loadConfig } from '../../src/config/config.js';
import { type RunningServer, startServer } from '../../src/server/serve.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST_INDEX = join(ROOT, 'dist/web/index.html');
const CHROMIUM = '/usr/bin/chromium';

/** Whether the browser tests can run here. In CI they must: a missing Chromium fails them. */
export const BROWSER_AVAILABLE = existsSync(CHROMIUM) || !!process.env.CI;

/** Newest modification time under a folder (or of a file). */
function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  return readdirSync(path).reduce((max, name) => Math.max(max, newest(join(path, name))), st.mtimeMs);
}

/** Builds the UI when dist/web is missing or older than its sources (web/ and what it imports from src/). */
function buildWebIfStale(): void {
  const sources = Math.max(
    newest(join(ROOT, 'web')), newest(join(ROOT, 'src/shared')), newest(join(ROOT, 'src/modules/settings/settings.schema.ts')),
  );
  if (existsSync(DIST_INDEX) && statSync(DIST_INDEX).mtimeMs >= sources) return;
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
}

/** A server on a fresh data directory, a Chromium, and a first page (dark, 1440×1000, Tokyo time). */
export interface BrowserSession {
  server: RunningServer;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function startBrowserSession(config: Partial<Config> = {}): Promise<BrowserSession> {
  buildWebIfStale();
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'hikeshi-e2e-'));
  const server = await startServer(loadConfig({ env: {}, overrides: { port: 0, dataDir, logLevel: 'silent', clockSweepSeconds: 1, ...config } }));
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
  const context = await browser.newContext({ viewport: { width: 1440, height: 1000 }, locale: 'en-US', timezoneId: 'Asia/Tokyo', colorScheme: 'dark' });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  return {
    server, browser, page,
    async close() {
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Waits until the locator is visible (playwright-core has no expect of its own). */
export async function visible(locator: Locator): Promise<void> {
  await locator.first().waitFor({ state: 'visible' });
}

/** Waits until the locator's text contains a string or matches a pattern. */
export async function hasText(locator: Locator, text: string | RegExp): Promise<void> {
  const read = async () => (await locator.first().textContent()) ?? '';
  if (typeof text === 'string') await expect.poll(read, { timeout: 10_000 }).toContain(text);
  else await expect.poll(read, { timeout: 10_000 }).toMatch(text);
}

/** Collects script errors and server failures; refused requests (400s on purpose) do not count. */
export function watchErrors(page: Page, errors: string[]): void {
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) errors.push(m.text()); });
  page.on('response', (r) => { if (r.status() >= 500) errors.push(`${r.status()} ${r.url()}`); });
}

/**
 * A full-page screenshot in test-results/ with a window as tall as the page, so sticky bars sit at
 * the end of the page instead of over the middle of it.
 */
export async function fullPageShot(p: Page, name: string): Promise<void> {
  const size = p.viewportSize() ?? { width: 1440, height: 1000 };
  const height = await p.evaluate('document.documentElement.scrollHeight') as number;
  await p.setViewportSize({ width: size.width, height });
  await p.screenshot({ path: join(ROOT, 'test-results', name), fullPage: true });
  await p.setViewportSize(size);
}

/** First start, as a new team does it: open the one-time setup link, create the admin, land on the incidents. Returns the origin. */
export async function createFirstAdmin(p: Page, setupUrl: string | null): Promise<string> {
  if (!setupUrl) throw new Error('the server offered no setup link');
  const url = new URL(setupUrl);
  await p.goto(url.href);
  await p.getByLabel('Your name').fill('Aiko Tanaka');
  await p.getByLabel('E-mail').fill('aiko@example.com');
  await p.getByLabel('Password').fill('correct horse battery');
  await p.getByRole('button', { name: 'Create admin and sign in' }).click();
  await visible(p.getByRole('heading', { name: 'Incidents', level: 1 }));
  return url.origin;
}
