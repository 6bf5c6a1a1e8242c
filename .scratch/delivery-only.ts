import { measureDelivery } from '../scripts/bench/figures/delivery';
const figures = await measureDelivery(Number(process.env.RUNS ?? 3));
for (const f of figures) console.log(f.key, f.runs.map((n) => n.toFixed(0)).join(' '));
