/**
 * Debian's headless Chromium, which `make test` installs (the `chromium` prerequisite): the binder's
 * page is rendered by a real browser, not only parsed. Missing, the test fails saying so.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

function chromium(args: string[], timeoutMs = 60_000): Promise<string> {
  if (!CHROMIUM) {
    return Promise.reject(new Error('chromium is not installed: run `make test`, which installs Debian\'s chromium (apt-get install chromium) when it is missing'));
  }
  // A profile of its own: several test processes may run Chromium at once.
  const profile = mkdtempSync(join(tmpdir(), 'evidence-chromium-'));
  const flags = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--hide-scrollbars', `--user-data-dir=${profile}`];
  return new Promise((resolve, reject) => {
    execFile(CHROMIUM, [...flags, ...args], { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`chromium failed: ${error.message}\n${stderr.slice(-2000)}`));
      else resolve(stdout);
    });
  });
}

/** The DOM after Chromium loaded and laid out the page. */
export function dumpDom(file: string): Promise<string> {
  return chromium(['--dump-dom', pathToFileURL(file).href]);
}

/** A PNG of the page's first `height` pixels. */
export async function screenshot(file: string, png: string, width = 1280, height = 1600): Promise<void> {
  await chromium([`--screenshot=${png}`, `--window-size=${width},${height}`, pathToFileURL(file).href]);
}
