import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium; the browser tests skip (saying why) where it is not installed. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_MISSING = existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install chromium): browser tests skipped`;

const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

export interface CanvasInk {
  readonly id: string;
  readonly width: number;
  readonly height: number;
  /** Pixels differing from the chart's white background. */
  readonly inked: number;
  readonly colours: number;
}

export interface OpenedReport {
  readonly page: Page;
  /** Requests the page made to anything but its own file (a self-contained report makes none). */
  readonly outsideRequests: readonly string[];
  readonly errors: readonly string[];
  close(): Promise<void>;
}

/** Opens an HTML report in headless Chromium and waits until its charts are drawn. */
export async function openReport(htmlPath: string, viewport = { width: 1280, height: 900 }): Promise<OpenedReport> {
  const browser: Browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  const page = await browser.newPage({ viewport });
  const url = pathToFileURL(htmlPath).href;
  const outsideRequests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => void (r.url() !== url && !r.url().startsWith('data:') && outsideRequests.push(r.url())));
  page.on('pageerror', (e) => void errors.push(e.message));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  await page.goto(url);
  await page.waitForFunction(() => document.documentElement.dataset.charts === 'drawn', undefined, { timeout: 30_000 });
  return { page, outsideRequests, errors, close: () => browser.close() };
}

/** How much of each chart canvas holds drawn pixels. */
export function canvasInk(page: Page): Promise<CanvasInk[]> {
  return page.$$eval('canvas[data-chart]', (canvases) =>
    (canvases as HTMLCanvasElement[]).map((c) => {
      const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
      let inked = 0;
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        const [r, g, b, a] = [data[i]!, data[i + 1]!, data[i + 2]!, data[i + 3]!];
        if (a > 0 && !(r === 255 && g === 255 && b === 255)) inked++;
        if (colours.size < 1000) colours.add((r << 24) | (g << 16) | (b << 8) | a);
      }
      return { id: c.dataset.chart ?? '', width: c.width, height: c.height, inked, colours: colours.size };
    }),
  );
}

/** The text of every cell of a report table, row by row (header excluded). */
export function tableCells(page: Page, id: string): Promise<string[][]> {
  return page.$$eval(`table[data-table="${id}"] tbody tr`, (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}
