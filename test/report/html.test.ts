import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { renderHtml } from '../../src/report/html.js';
import { renderReport } from '../../src/report/index.js';
import type { Report } from '../../src/model/report.js';
import { pvek8s, repoRoot } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`[report] skipping the HTML browser tests: ${CHROMIUM} is missing (run scripts/install-chromium.sh)`);

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Index of the page event whose file:line is `where` (runs in the page; no DOM types here). */
function eventId(page: Page, where: string): Promise<number> {
  return page.evaluate<number>(
    `JSON.parse(document.getElementById('forensics-data').textContent).events.findIndex((e) => e.where === ${JSON.stringify(where)})`,
  );
}

/** The fixture plus a hostile line, to prove that text is shown, not run. */
function hostile(): Report {
  const r = pvek8s();
  const t = (r as Report & { timeline: Array<Record<string, unknown>> }).timeline;
  t.push({
    time: '2026-05-28T10:30:00.000Z',
    host: 'k8s03',
    file: 'k8s03/syslog',
    line: 30001,
    text: 'May 28 20:30:00 k8s03 nginx[77]: GET /<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"> 404 </script>',
    kind: 'http.error',
    severity: 'low',
  });
  r.findings[4].title = 'Link flap </script><script>window.__pwned=3</script>';
  return r;
}

describe('renderHtml (static)', () => {
  it('is one self-contained document with no external references', () => {
    const html = renderHtml(pvek8s());
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/\b(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(\s*["']?(?:https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
    expect(html.match(/<script\b/g)).toHaveLength(2); // the data block and the page script
  });

  it('escapes every piece of log text', () => {
    const html = renderHtml(hostile());
    expect(html).not.toContain('<script>window.__pwned');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain('Link flap &lt;/script&gt;&lt;script&gt;window.__pwned=3&lt;/script&gt;');
    expect(html.match(/<\/script>/g)).toHaveLength(2);
  });

  it('is what renderReport gives for html', () => {
    expect(renderReport(pvek8s(), 'html', { title: 'x' })).toBe(renderHtml(pvek8s(), { title: 'x' }));
  });
});

describe.skipIf(!hasChromium)('renderHtml in headless Chromium', () => {
  let browser: Browser;
  let page: Page;
  let dir = '';
  const requests: string[] = [];
  const errors: string[] = [];
  let pageUrl = '';

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, deviceScaleFactor: 1 });
    page = await context.newPage();
    page.on('request', (req) => requests.push(req.url()));
    page.on('pageerror', (err) => errors.push(String(err)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    dir = mkdtempSync(path.join(tmpdir(), 'forensics-html-'));
    const file = path.join(dir, 'report.html');
    writeFileSync(file, renderHtml(hostile(), { displayTz: 'Australia/Brisbane', title: 'pvek8s post-power-outage recovery, 2026-05-28' }));
    pageUrl = pathToFileURL(file).href;
    await page.goto(pageUrl);
    await page.waitForSelector('body[data-ready="1"]', { timeout: 10_000 });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('draws one lane per host and a mark per event', async () => {
    const lanes = await page.locator('rect.lane').evaluateAll((els) => els.map((e) => e.getAttribute('data-host')));
    expect(lanes).toEqual(['k8s01', 'k8s02', 'k8s03']);
    const labels = await page.locator('text.lane-label').evaluateAll((els) => els.map((e) => e.firstChild?.nodeValue));
    expect(labels).toEqual(['k8s01', 'k8s02', 'k8s03']);
    // 13 distinct step lines (the eviction line is shared by two findings) + 5 timeline entries.
    expect(await page.locator('circle.mark').count()).toBe(13 + 5);
    expect(await page.locator('polyline.chain').count()).toBe(5);
    // Marks sit in their host's lane.
    const inLane = await page.evaluate(`(() => {
      const lanes = new Map();
      document.querySelectorAll('rect.lane').forEach((r) => lanes.set(r.getAttribute('data-host'), r.getBoundingClientRect()));
      return [...document.querySelectorAll('circle.mark')].every((c) => {
        const b = c.getBoundingClientRect();
        const lane = lanes.get(c.getAttribute('data-host'));
        const cy = b.top + b.height / 2;
        return cy > lane.top && cy < lane.bottom;
      });
    })()`);
    expect(inLane).toBe(true);
  });

  it('shows the raw line, times and file:line of a clicked mark', async () => {
    const id = await eventId(page, 'k8s02/kern.log:5531');
    expect(id).toBeGreaterThanOrEqual(0);
    await page.locator(`circle.mark[data-id="${id}"]`).click();
    await expect.poll(() => page.locator('#detail-raw').textContent()).toBe(
      'May 28 20:23:09 k8s02 kernel: [ 4422.201377]  session1: session recovery timed out after 120 secs',
    );
    const detail = await page.locator('#detail').innerText();
    expect(detail).toContain('k8s02/kern.log:5531');
    expect(detail).toContain('2026-05-28 10:23:09.201 UTC');
    expect(detail).toContain('2026-05-28 20:23:09.201 +10');
  });

  it('shows hostile text as text and runs none of it', async () => {
    const id = await eventId(page, 'k8s03/syslog:30001');
    await page.locator(`circle.mark[data-id="${id}"]`).click();
    expect(await page.locator('#detail-raw').textContent()).toContain('GET /<script>window.__pwned=1</script><img src=x');
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await page.locator('#detail img, #findings img, #detail script').count()).toBe(0);
  });

  it('highlights a finding’s chain when it is clicked in the list', async () => {
    await page.click('#zoom-fit');
    await page.locator('#findings li').first().click();
    expect(await page.locator('#findings li.active .title').textContent()).toContain('jiva-ctrl eviction');
    const hl = await page.locator('circle.mark.hl').evaluateAll((els) => els.map((e) => e.getAttribute('data-host')));
    expect(hl).toHaveLength(5);
    expect(await page.locator('polyline.chain.hl').count()).toBe(1);
    await page.locator('#findings li').first().click(); // toggles off
    expect(await page.locator('#findings li.active').count()).toBe(0);
  });

  it('zooms with the buttons and the wheel, and pans by dragging', async () => {
    await page.click('#zoom-fit');
    const xs = '[...document.querySelectorAll("circle.mark")].map((c) => Number(c.getAttribute("cx")))';
    const span = () => page.evaluate<number>(`Math.max(...${xs}) - Math.min(...${xs})`);
    const firstX = () => page.evaluate<number>(`Math.min(...${xs})`);
    const fit = await span();
    await page.click('#zoom-in');
    expect(await span()).toBeGreaterThan(fit * 1.4);
    await page.click('#zoom-out');
    expect(Math.abs((await span()) - fit)).toBeLessThan(1);
    const box = (await page.locator('#chart').boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 15);
    await page.mouse.wheel(0, -300);
    await expect.poll(span).toBeGreaterThan(fit * 1.2);
    await page.click('#zoom-fit');
    const before = await firstX();
    await page.mouse.move(box.x + 300, box.y + 12);
    await page.mouse.down();
    await page.mouse.move(box.x + 420, box.y + 12, { steps: 5 });
    await page.mouse.up();
    expect((await firstX()) - before).toBeGreaterThan(100);
    await page.click('#zoom-fit');
  });

  it('makes no network request and logs no error', () => {
    expect(requests.filter((u) => u !== pageUrl)).toEqual([]);
    expect(errors).toEqual([]);
  });

  it('saves a screenshot for the docs', async () => {
    // The critical chain, zoomed to its 2.5 minutes, with its last step opened.
    await page.click('#zoom-fit');
    await page.locator('#findings li').first().click();
    const id = await eventId(page, 'k8s02/kern.log:5602');
    await page.locator(`circle.mark[data-id="${id}"]`).click();
    // The README's screenshot is made from a corpus incident by scripts/screenshot-report.mjs; tests write nothing in the repo.
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'forensics-shot-')), 'report.png');
    await page.screenshot({ path: out, fullPage: false });
    expect(existsSync(out)).toBe(true);
  });
});
