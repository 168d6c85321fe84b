// Makes docs/report-screenshot.png: the HTML report of the bundled 2026-05-28 incident in headless
// Chromium (Debian's chromium, driven by playwright-core). Run after `npm run build`:
//   node scripts/screenshot-report.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const html = join(mkdtempSync(join(tmpdir(), 'forensics-shot-')), 'report.html');
execFileSync(process.execPath, [
  join(root, 'dist/cli/main.js'), 'analyze', join(root, 'corpus/pvek8s-2026-05-28-power-outage'),
  '--tz', 'Australia/Brisbane', '--year', '2026', '--format', 'html', '-o', html,
]);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
await page.goto(pathToFileURL(html).href);
await page.locator('#findings li').first().click();
await page.locator('circle.mark.sev-critical').last().click();
await page.screenshot({ path: join(root, 'docs/report-screenshot.png') });
await browser.close();
console.log('wrote docs/report-screenshot.png');
