/**
 * Reports as the extension puts them on the wire, for the Desk's tests and bench: valid against
 * utils/schema/report.ts, with evidence whose hashes are computed the way the extension does
 * (utils/evidence/hash.ts).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { bytesToBase64, manifestHash, sha256Hex } from '../../utils/evidence/hash';
import { REPORT_SCHEMA_VERSION, type Report } from '../../utils/schema/report';
import type { WireArtifact } from '../../utils/schema/capture';

export async function artifact(name: WireArtifact['name'], bytes: Uint8Array): Promise<WireArtifact> {
  return {
    name,
    mediaType: name === 'text.txt' ? 'text/plain;charset=utf-8' : 'image/png',
    sha256: await sha256Hex(bytes),
    size: bytes.length,
    capturedAt: '2026-12-06T10:00:00.000+08:00',
    dataBase64: bytesToBase64(bytes),
  };
}

export async function evidenceOf(artifacts: WireArtifact[]): Promise<NonNullable<Report['evidence']>> {
  return { manifestSha256: await manifestHash(artifacts), artifacts, unavailable: [] };
}

export interface ReportOptions {
  id?: string;
  revision?: number;
  explanation?: string;
  url?: string;
  category?: string;
  /** Bytes of a viewport screenshot (random bytes stand in for a PNG). */
  screenshot?: Uint8Array;
  text?: string;
}

export async function wireReport(options: ReportOptions = {}): Promise<Report> {
  const artifacts: WireArtifact[] = [];
  if (options.screenshot) artifacts.push(await artifact('viewport.png', options.screenshot));
  if (options.text !== undefined) artifacts.push(await artifact('text.txt', new TextEncoder().encode(options.text)));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: options.id ?? randomUUID(),
    ...(options.revision && options.revision > 1 ? { revision: options.revision } : {}),
    createdAt: '2026-12-06T10:00:00.000+08:00',
    category: options.category ?? 'rumor',
    subReason: 'fabricated',
    explanation: options.explanation ?? '明天全市停水三天的消息是假的',
    goodFaith: { accepted: true, at: '2026-12-06T10:00:00.000+08:00' },
    target: { kind: 'page', url: options.url ?? 'https://weibo.example/post/1', title: '停水通知' },
    ...(artifacts.length > 0 ? { evidence: await evidenceOf(artifacts) } : {}),
    client: { name: 'flagline', version: '0.0.0-test', locale: 'zh_CN' },
  };
}

export const randomScreenshot = (bytes = 50_000) => new Uint8Array(randomBytes(bytes));
