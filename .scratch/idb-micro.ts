import { ExtensionHarness } from '../tests/e2e/support/extension';
import { BUILT_IN_CATEGORIES } from '../utils/categories';
import { buildReport } from '../utils/reports';

const reports = Array.from({ length: 1000 }, (_, i) =>
  buildReport(
    { tabId: 1, category: i % 3 ? 'rumor' : 'cyberviolence', explanation: `bench report ${i} — 这是一条测试举报。`.repeat(3), goodFaith: true },
    { url: `https://forum.example/thread/${i}`, title: `Thread ${i} 讨论` },
    { clock: () => Date.now(), newId: () => crypto.randomUUID(), categories: BUILT_IN_CATEGORIES, client: { version: '0.1.0', locale: 'zh-CN' } },
  ),
);
console.log('report bytes', JSON.stringify(reports[0]).length);
const fnSrc = (await import('node:fs')).readFileSync('.scratch/idb-micro.js','utf8');
const ext = await ExtensionHarness.launch();
const worker = await ext.worker();
for (let round = 0; round < 3; round++) {
  const out = await worker.evaluate(`(${fnSrc})(${JSON.stringify(reports)})`);
  console.log((out as [string,number][]).map(([l, n]) => `${l}: ${n}`).join('\n'), '\n');
}
await ext.close();
