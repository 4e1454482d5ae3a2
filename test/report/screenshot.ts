/**
 * Screenshot of an HTML report as Chromium shows it (the whole page).
 * Usage: npx tsx test/report/screenshot.ts <report.html> <out.png>
 */
import { CHROMIUM_MISSING, canvasInk, openReport } from './browser.js';

const [html, png] = process.argv.slice(2);
if (!html || !png) {
  console.error('usage: npx tsx test/report/screenshot.ts <report.html> <out.png>');
  process.exit(2);
}
if (CHROMIUM_MISSING) {
  console.error(CHROMIUM_MISSING);
  process.exit(2);
}
const report = await openReport(html);
try {
  const blank = (await canvasInk(report.page)).filter((c) => c.inked === 0).map((c) => c.id);
  if (blank.length > 0 || report.errors.length > 0) throw new Error(`charts not drawn: ${[...blank, ...report.errors].join('; ')}`);
  await report.page.screenshot({ path: png, fullPage: true });
  console.log(`wrote ${png}`);
} finally {
  await report.close();
}
