/**
 * The floor `desk.ingest1000Ms` is compared to (`desk.rawInsert1000Ms`): a bare `node:http`
 * handler that only parses the JSON and inserts the same rows into the same tables with the same
 * driver and the same durability (better-sqlite3, WAL, synchronous=FULL), one transaction per
 * batch — no token, no schema check, no hash check, no idempotency, no query builder.
 *
 *   tsx scripts/bench/raw-insert-server.ts <data dir> <port>
 */
import { createServer } from 'node:http';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { openDatabase, SQLITE_FILE } from '../../desk/store/engine';

const [dataDir = '.output/raw-insert', port = '0'] = process.argv.slice(2);
// The Desk's own migrations make the same tables; then the raw driver takes over.
await (await openDatabase({ kind: 'sqlite', dataDir })).destroy();
const db = new SQLite(join(dataDir, SQLITE_FILE));
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
const channelId = 'raw';
db.prepare("insert into channels (id, name, token_hash, created_at) values (?, 'raw', ?, '')").run(channelId, randomBytes(8).toString('hex'));
const insertBlob = db.prepare('insert or ignore into evidence_blobs (sha256, size, bytes) values (?, ?, ?)');
const insertReport = db.prepare(
  "insert into reports (id, channel_id, receipt, received_at, updated_at, revision, state, category, url) values (?, ?, ?, ?, ?, 1, 'new', ?, ?)",
);
const insertRevision = db.prepare('insert into report_revisions (report_id, revision, body_hash, body, channel_id, received_at) values (?, 1, ?, ?, ?, ?)');
const insertArtifact = db.prepare('insert into report_artifacts (report_id, revision, name, media_type, sha256, size) values (?, 1, ?, ?, ?, ?)');

interface RawReport {
  id: string;
  category: string;
  target: { url: string };
  evidence?: { artifacts: Array<{ name: string; mediaType: string; sha256: string; size: number; dataBase64: string }> };
}

const store = db.transaction((reports: RawReport[]) => {
  const now = new Date().toISOString();
  for (const report of reports) {
    insertReport.run(report.id, channelId, report.id, now, now, report.category, report.target.url);
    // The same body the Desk stores: the report without its evidence bytes (those go to blobs).
    const artifacts = report.evidence?.artifacts.map(({ dataBase64: _bytes, ...rest }) => rest);
    insertRevision.run(report.id, report.id, JSON.stringify(artifacts ? { ...report, evidence: { ...report.evidence, artifacts } } : report), channelId, now);
    for (const artifact of report.evidence?.artifacts ?? []) {
      insertBlob.run(artifact.sha256, artifact.size, Buffer.from(artifact.dataBase64, 'base64'));
      insertArtifact.run(report.id, artifact.name, artifact.mediaType, artifact.sha256, artifact.size);
    }
  }
});

const server = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (chunk: Buffer) => chunks.push(chunk));
  request.on('end', () => {
    const { reports } = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { reports: RawReport[] };
    store(reports);
    response.writeHead(200, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify({ results: reports.map((r) => ({ id: r.id, status: 'accepted' })) }));
  });
});
server.listen(Number(port), '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.stdout.write(`listening ${address.port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
