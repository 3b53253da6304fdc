import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium (installed by .ci/run); never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const SCREENSHOT_DIR = path.resolve(__dirname, '../../../artifacts/screenshots');

/** In CI a missing browser fails the run; on a laptop without Chromium the browser tests are skipped, loudly. */
export function describeInBrowser(name: string, fn: () => void): void {
  if (fs.existsSync(CHROMIUM_PATH) || process.env.CI) {
    describe(name, fn);
  } else {
    process.stderr.write(`\n  SKIPPED "${name}": no Chromium at ${CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)\n\n`);
    describe.skip(name, fn);
  }
}

let contexts = 0;

/**
 * Each browser context is one person at one address: it sends its own X-Forwarded-For (a documentation address;
 * the test servers trust the proxy header), so the per-IP limits on sign-up and sign-in count each journey's people
 * apart, as they would on the internet, instead of every journey of the run as one 127.0.0.1.
 */
export async function launchChromium(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
  const newContext = browser.newContext.bind(browser);
  browser.newContext = (options = {}) => {
    contexts += 1;
    const address = `198.51.${100 + (process.pid % 100)}.${contexts % 250}`;
    return newContext({ ...options, extraHTTPHeaders: { 'x-forwarded-for': address, ...options.extraHTTPHeaders } });
  };
  return browser;
}

export async function screenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: path.join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}
