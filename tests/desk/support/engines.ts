/** The Desk's suites run once per engine: each test gets a fresh, empty database of its own. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { createDatabase } from '../../../scripts/postgres';
import { openDatabase, type DatabaseTarget, type DeskDb } from '../../../desk/store/engine';

export const ENGINES = ['sqlite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

export interface TestDatabase {
  target: DatabaseTarget;
  /** CLI flags that name the same database. */
  flags: string[];
  open(): Promise<DeskDb>;
  cleanup(): void;
}

export async function freshDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'sqlite') {
    const dataDir = mkdtempSync(join(tmpdir(), 'flagline-desk-'));
    const target: DatabaseTarget = { kind: 'sqlite', dataDir };
    return { target, flags: ['--data', dataDir], open: () => openDatabase(target), cleanup: () => rmSync(dataDir, { recursive: true, force: true }) };
  }
  const url = await createDatabase(inject('postgresUrl'));
  const target: DatabaseTarget = { kind: 'postgres', url };
  return { target, flags: ['--database', url], open: () => openDatabase(target), cleanup: () => undefined };
}
