// Drives the local host's page in Debian's Chromium (playwright-core, no bundled browser): reads what it
// lists, uploads a photo through the resize and tensor forms, predicts through the predict form, and
// keeps screenshots. Prints one JSON object for the test to check.
// node page-check.mjs URL PHOTO OUTPUT-FOLDER
import { chromium } from 'playwright-core';

const [url, photo, out] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: process.env.MLF_CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const errors = [];
  page.on('pageerror', e => errors.push(e.message));
  await page.goto(url, { waitUntil: 'load' });
  const result = { title: await page.title() };
  result.functions = await page.$$eval('table.catalog tr td:first-child', cells => cells.map(c => c.textContent.trim().split(' ')[0]));
  result.models = await page.$$eval('section.model', sections => sections.map(s => s.dataset.model));
  result.versions = await page.$$eval('section.model[data-model="penguins"] table.versions tr', rows => rows.length - 1);
  result.driftBars = await page.$$eval('section.model[data-model="penguins"] svg.drift-chart rect',
    bars => bars.map(b => ({ column: b.dataset.column, drifted: b.classList.contains('drifted'), width: Number(b.getAttribute('width')) })));
  await page.screenshot({ path: `${out}/page.png`, fullPage: true });

  await page.setInputFiles('#resize-form input[type=file]', photo);
  await page.fill('#resize-form input[name=width]', '160');
  await page.fill('#resize-form input[name=height]', '120');
  await page.click('#resize-form button');
  await page.waitForSelector('#resize-result[data-done="1"]', { timeout: 20000 });
  result.resized = await page.$eval('#resize-result', img => [img.naturalWidth, img.naturalHeight]);
  result.resizeInfo = await page.textContent('#resize-info');
  await page.locator('#resize-form').screenshot({ path: `${out}/resize.png` });

  await page.setInputFiles('#tensor-form input[type=file]', photo);
  await page.click('#tensor-form button');
  await page.waitForFunction(() => document.getElementById('tensor-shape').textContent.length > 0, null, { timeout: 20000 });
  result.tensor = await page.textContent('#tensor-shape');

  await page.check('#predict-form input[name=explain]');
  await page.click('#predict-form button');
  await page.waitForFunction(() => document.getElementById('predict-result').textContent.length > 0, null, { timeout: 20000 });
  result.predict = JSON.parse(await page.textContent('#predict-result'));
  const chart = page.locator('section.model[data-model="penguins"] svg.drift-chart');
  if (await chart.count() > 0) {
    await chart.first().screenshot({ path: `${out}/drift.png` });
  }
  result.errors = errors;
  console.log(JSON.stringify(result));
} finally {
  await browser.close();
}
