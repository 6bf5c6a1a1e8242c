/**
 * Renders assets/icon.svg to the PNG sizes the manifest needs (browsers do not take SVG icons).
 * Run after changing the SVG: `npx tsx scripts/render-icons.ts`.
 */
import { readFile } from 'node:fs/promises';
import { chromium } from '@playwright/test';
import { findChromium } from './chromium';

const svg = await readFile(new URL('../assets/icon.svg', import.meta.url), 'utf8');
const browser = await chromium.launch({ executablePath: findChromium().path, args: ['--no-sandbox'] });
for (const size of [16, 32, 48, 128]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<style>html,body{margin:0;background:transparent}svg{width:${size}px;height:${size}px;display:block}</style>${svg}`);
  await page.screenshot({ path: `public/icon/${size}.png`, omitBackground: true });
  await page.close();
}
await browser.close();
