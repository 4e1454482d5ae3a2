import { createCanvas, loadImage } from '@napi-rs/canvas';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mean } from 'simple-statistics';
import { beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/store.js';
import { nasbench } from '../../support/cli.js';
import { writeNb201Fixture } from '../helpers/nb201-fixture.js';
import { CHROMIUM_MISSING, canvasInk, openReport, tableCells } from './browser.js';

const work = mkdtempSync(join(tmpdir(), 'nasbench-report-cli-'));
const db = join(work, 'runs.db');

/** Seeds per method: NAO trains its model in every iteration, so it gets fewer and a small model. */
const SEEDS: Record<string, number> = { random: 12, evolution: 12, nao: 3 };
const NAO_QUICK = ['hidden=8', 'embedding=4', 'mlp_layers=1', 'mlp_hidden=8', 'epochs=2', 'new_per_iteration=8', 'top_k=8', 'seed_fraction=0.4', 'max_eta_steps=8', 'holdout=0.3'];

/** Final results per method, straight from the store. */
function finalsByMethod(): Map<string, number[]> {
  const store = Store.open(db);
  const out = new Map<string, number[]>();
  for (const r of store.runs()) if (r.finalValue !== null) out.set(r.method, [...(out.get(r.method) ?? []), r.finalValue]);
  store.close();
  return out;
}

/** The [predicted, true] pairs NAO runs recorded, straight from the store. */
function naoPairs(): [number, number][] {
  const store = Store.open(db);
  const pairs = store
    .runs()
    .filter((r) => r.method === 'nao')
    .flatMap((r) => store.diagnostics(r.id).flatMap((d) => (d.data as { pairs: [number, number][] }).pairs));
  store.close();
  return pairs;
}

/** Splits one CSV line, honouring quoted fields. */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted && c === '"' && line[i + 1] === '"') (field += '"'), i++;
    else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) out.push(field), (field = '');
    else field += c;
  }
  return [...out, field];
}

/** Pixels of a PNG that are not white. */
async function inkedPixels(file: string): Promise<number> {
  const image = await loadImage(readFileSync(file));
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(image, 0, 0);
  const { data } = ctx.getImageData(0, 0, image.width, image.height);
  let n = 0;
  for (let i = 0; i < data.length; i += 4) if (data[i] !== 255 || data[i + 1] !== 255 || data[i + 2] !== 255) n++;
  return n;
}

beforeAll(() => {
  const data = writeNb201Fixture();
  for (const method of ['random', 'evolution', 'nao']) {
    const params = method === 'nao' ? NAO_QUICK.flatMap((p) => ['--param', p]) : [];
    const r = nasbench(['run', method, '--task', 'nb201-cifar10', '--seeds', String(SEEDS[method]), '--budget', '40', '--db', db, '--data-dir', data, '--quiet', ...params]);
    expect(r.status, r.stderr).toBe(0);
  }
}, 180_000);

describe('nasbench report', () => {
  it('CSV carries the stored results unrounded', () => {
    const r = nasbench(['report', '--db', db, '--format', 'csv']);
    expect(r.status, r.stderr).toBe(0);
    const [head, ...lines] = r.stdout.trimEnd().split('\n');
    const cols = csvFields(head!);
    const finals = finalsByMethod();
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      const f = csvFields(line);
      expect(f).toHaveLength(cols.length);
      const method = f[cols.indexOf('method')]!;
      expect(Number(f[cols.indexOf('mean')])).toBeCloseTo(mean(finals.get(method)!), 10);
      expect(Number(f[cols.indexOf('runs')])).toBe(SEEDS[method]);
      expect(Number(f[cols.indexOf('evaluations_per_run')])).toBe(40);
    }
  });

  it('--json prints the leaderboard rows; --format json the whole report with curves and the NAO predictor scatter', () => {
    const rows = JSON.parse(nasbench(['report', '--db', db, '--json', '--method', 'random']).stdout);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ method: 'random', runs: 12, evaluationsUsed: 480 });
    const report = JSON.parse(nasbench(['report', '--db', db, '--format', 'json']).stdout);
    expect(report.leaderboard).toHaveLength(3);
    expect(report.anytime[0].byEvaluations[0].points).toHaveLength(40);
    expect(report.comparisons).toHaveLength(3);
    const pairs = naoPairs();
    expect(pairs.length).toBeGreaterThan(10);
    expect(report.predictions).toHaveLength(1);
    expect(report.predictions[0].task).toBe('nb201-cifar10');
    // Both axes in the search objective's units, as NAO records them.
    expect(report.predictions[0].objective).toBe(report.anytime[0].objective);
    expect(report.predictions[0].objective).toMatch(/validation accuracy/);
    // The run's label says which NAO configuration ran; the legend gives its distinct seeds.
    expect(report.predictions[0].series.map((s: { label: string }) => s.label)).toEqual([expect.stringMatching(/^NAO \(scaled EPD: LSTM 8, embedding 4, 2 epochs\/iteration, random fill\) \[nao\] \(n = \d+\)$/)]);
    const points = report.predictions[0].series[0].points.map((q: { predicted: number; actual: number }) => [q.predicted, q.actual]);
    expect(points).toEqual(pairs);
  });

  it('show summarises the NAO pairs on the terminal and keeps them whole with --json', () => {
    const store = Store.open(db);
    const run = store.runs().find((r) => r.method === 'nao')!;
    store.close();
    const shown = nasbench(['show', String(run.id), '--db', db]);
    expect(shown.status, shown.stderr).toBe(0);
    const lines = shown.stdout.split('\n').filter((l) => l.includes('· nao-iteration:'));
    const json = JSON.parse(nasbench(['show', String(run.id), '--db', db, '--json']).stdout);
    expect(lines).toHaveLength(json.diagnostics.length);
    json.diagnostics.forEach((d: { data: { pairs: unknown[] } }, i: number) => {
      expect(d.data.pairs.length).toBeGreaterThan(0);
      expect(lines[i]).toContain(`"pairs":"<${d.data.pairs.length} entries>"`);
      expect(lines[i]).toMatch(/"heldOutPairwise":/);
    });
  });

  it('Markdown with --out writes PNG charts beside it and links them', async () => {
    const out = join(work, 'md', 'report.md');
    const r = nasbench(['report', '--db', db, '--format', 'markdown', '--out', out, '--published']);
    expect(r.status, r.stderr).toBe(0);
    const md = readFileSync(out, 'utf8');
    const pngs = readdirSync(join(work, 'md', 'report-charts'));
    // Table lookups: the incumbent's test accuracy and regret, and no device-hours chart.
    expect(pngs.sort()).toEqual(['anytime-evaluations-nb201-cifar10.png', 'final-nb201-cifar10.png', 'incumbent-nb201-cifar10.png', 'predictions-nb201-cifar10.png', 'regret-nb201-cifar10.png']);
    for (const png of pngs) {
      expect(md).toContain(`](report-charts/${png})`);
      expect(await inkedPixels(join(work, 'md', 'report-charts', png))).toBeGreaterThan(5000);
    }
    // An NB201 report cites NB201's baselines, never NAO's CIFAR-10/PTB numbers.
    expect(md).toContain('REINFORCE (published, not measured)');
    expect(md).not.toContain('NAONet');
    expect(md).toContain('| NAS-Bench-201 CIFAR-10 | NASWOT (N = 100) (published, not measured) | test accuracy | 92.81 % | ± 0.99; N random cells scored');
    const finals = finalsByMethod().get('evolution')!;
    expect(md).toContain(`| evolution | ${mean(finals).toFixed(2)} ±`);
    expect(nasbench(['report', '--db', db, '--format', 'markdown', '--out', join(work, 'plain.md'), '--no-charts']).status).toBe(0);
    expect(existsSync(join(work, 'plain-charts'))).toBe(false);
  });

  it('rejects bad flags with one line and exit code 2, and says when nothing matches', () => {
    const bad = nasbench(['report', '--db', db, '--since', 'last week']);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/--since last week: expected an ISO date/);
    expect(nasbench(['report', '--db', db, '--format', 'pdf']).status).toBe(2);
    const none = nasbench(['report', '--db', db, '--since', '2999-01-01']);
    expect(none.status).toBe(0);
    expect(none.stderr).toMatch(/no runs in .* for experiments since 2999-01-01T00:00:00.000Z/);
  });
});

if (CHROMIUM_MISSING) console.warn(CHROMIUM_MISSING);

describe.skipIf(CHROMIUM_MISSING !== null)(`the HTML report in headless Chromium${CHROMIUM_MISSING ? ` (${CHROMIUM_MISSING})` : ''}`, () => {
  it('draws every chart offline and its tables hold the stored numbers', async () => {
    const html = join(work, 'report.html');
    const r = nasbench(['report', '--db', db, '--format', 'html', '--out', html]);
    expect(r.status, r.stderr).toBe(0);
    const report = await openReport(html);
    try {
      expect(report.errors).toEqual([]);
      expect(report.outsideRequests).toEqual([]);
      const ink = await canvasInk(report.page);
      expect(ink.map((c) => c.id)).toEqual(['anytime-evaluations-nb201-cifar10', 'incumbent-nb201-cifar10', 'regret-nb201-cifar10', 'final-nb201-cifar10', 'predictions-nb201-cifar10']);
      for (const c of ink) {
        expect(c.inked / (c.width * c.height), c.id).toBeGreaterThan(0.01);
        expect(c.colours, c.id).toBeGreaterThan(10);
      }
      const finals = finalsByMethod();
      const rows = await tableCells(report.page, 'leaderboard');
      // A row is named by what ran, with the method in brackets where that differs (NAO's configuration).
      const methodOf = (name: string) => /\[([^\]]+)\]$/.exec(name)?.[1] ?? name;
      expect(rows.map((row) => methodOf(row[1]!)).sort()).toEqual(['evolution', 'nao', 'random']);
      expect(rows.map((row) => row[1]).filter((name) => name!.startsWith('NAO ('))).toEqual(['NAO (scaled EPD: LSTM 8, embedding 4, 2 epochs/iteration, random fill) [nao]']);
      for (const row of rows) {
        const method = methodOf(row[1]!);
        const values = finals.get(method)!;
        expect(row[2]).toBe(String(SEEDS[method]));
        expect(row[7]).toBe(`${mean(values).toFixed(2)} ± ${Math.sqrt(values.reduce((s, v) => s + (v - mean(values)) ** 2, 0) / (values.length - 1)).toFixed(2)}`);
        expect(row[9]).toBe(Math.max(...values).toFixed(2));
      }
      const shot = join(work, 'report.png');
      await report.page.screenshot({ path: shot, fullPage: true });
      expect(await inkedPixels(shot)).toBeGreaterThan(100_000);
    } finally {
      await report.close();
    }
  });
});
