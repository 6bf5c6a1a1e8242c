import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export type Unit = 'ms' | 'bytes' | 'reports/s';

export interface Figure {
  key: string;
  unit: Unit;
  runs: number[];
  /** The target, for the table only: the bench never fails on it (machines are noisy). */
  target?: string;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Runs `measure` `times` times (after `warmup` unrecorded runs) and returns the samples. */
export async function sample(times: number, measure: (i: number) => Promise<number>, warmup = 1): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await measure(-1 - i);
  const runs: number[] = [];
  for (let i = 0; i < times; i++) runs.push(await measure(i));
  return runs;
}

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

const SOURCES = ['entrypoints', 'components', 'utils', 'public', 'wxt.config.ts', 'package-lock.json'];

/** Builds `mode` (production or e2e) unless its output is newer than every source file. */
export function buildIfNeeded(mode: 'production' | 'e2e' | 'e2e-capture'): void {
  const outDir = mode === 'production' ? '.output/chrome-mv3' : `.output/chrome-mv3-${mode}`;
  const built = newestMtime(join(outDir, 'manifest.json'));
  if (built > Math.max(...SOURCES.map(newestMtime))) return;
  console.log(`Building ${mode}…`);
  const result = spawnSync('npx', ['wxt', 'build', ...(mode === 'production' ? [] : ['--mode', mode])], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`build (${mode}) failed`);
}

export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => {
    const m = median(f.runs);
    return [f.key, f.unit === 'ms' ? m.toFixed(1) : String(Math.round(m)), f.unit, String(f.runs.length), f.target ?? ''];
  });
  const header = ['figure', 'median', 'unit', 'runs', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i] as number) : c.padEnd(widths[i] as number))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const row of rows) console.log(line(row));
}

export function toJson(figures: Figure[]) {
  return {
    figures: Object.fromEntries(figures.map((f) => [f.key, { median: median(f.runs), unit: f.unit, runs: f.runs, ...(f.target ? { target: f.target } : {}) }])),
  };
}
