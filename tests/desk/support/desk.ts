/** A Desk served in-process on a free loopback port, on a fresh database of the given engine. */
import { createChannel, type CreatedChannel } from '../../../desk/store/channels';
import type { DeskDb } from '../../../desk/store/engine';
import { startDesk, type DeskOptions, type RunningDesk } from '../../../desk/server';
import { freshDatabase, type Engine, type TestDatabase } from './engines';

export interface TestDesk {
  desk: RunningDesk;
  db: DeskDb;
  database: TestDatabase;
  channel: CreatedChannel;
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  count(table: 'reports' | 'report_revisions' | 'evidence_blobs' | 'report_artifacts'): Promise<number>;
  stop(): Promise<void>;
}

export async function startTestDesk(engine: Engine, options: Partial<DeskOptions> & { signing?: boolean } = {}): Promise<TestDesk> {
  const database = await freshDatabase(engine);
  const db = await database.open();
  const channel = await createChannel(db, { name: 'Test school', signing: options.signing ?? false });
  const desk = await startDesk({ db, port: 0, ...options });
  return {
    desk,
    db,
    database,
    channel,
    post: (body, headers = {}) =>
      fetch(desk.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${channel.token}`, ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      }),
    async count(table) {
      const row = await db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<number | string>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    async stop() {
      await desk.close();
      await db.destroy();
      database.cleanup();
    },
  };
}
