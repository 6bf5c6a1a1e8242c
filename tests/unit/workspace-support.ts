import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import type { FlaglineDB } from '@/utils/db';
import { buildReport, saveNewReport } from '@/utils/reports';
import type { ReportRecord } from '@/utils/schema/record';
import { sha256Hex, type EvidenceArtifact, type EvidenceSource } from '@/utils/workspace/evidence';

let counter = 0;
export const newId = () => `00000000-0000-4000-8000-${String(++counter).padStart(12, '0')}`;

/** Saves a report as the background would, then applies `patch` to the stored record. */
export async function seedReport(
  db: FlaglineDB,
  clock: () => number,
  options: { url?: string; title?: string; category?: string; subReason?: string; explanation?: string; patch?: Partial<ReportRecord> } = {},
): Promise<ReportRecord> {
  const report = buildReport(
    {
      tabId: 1,
      category: options.category ?? 'rumor',
      ...(options.subReason ? { subReason: options.subReason } : {}),
      explanation: options.explanation ?? '',
      goodFaith: true,
    },
    { url: options.url ?? 'https://news.example/a', title: options.title ?? 'Title' },
    { clock, newId, categories: BUILT_IN_CATEGORIES, client: { version: '0.1.0', locale: 'en' } },
  );
  const record = await saveNewReport(db, report, clock);
  if (options.patch) await db.reports.update(record.id, options.patch);
  return (await db.reports.get(record.id))!;
}

export async function artifact(name: string, mediaType: string, content: string | Uint8Array): Promise<EvidenceArtifact> {
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  return { name, mediaType, bytes, size: bytes.length, sha256: await sha256Hex(bytes), capturedAt: '2026-11-24T10:00:00.000+00:00' };
}

/**
 * An in-memory evidence source standing in for the evidence store (issue 3) in unit tests: the
 * workspace code paths only see the EvidenceSource interface.
 */
export function memoryEvidence(initial: Record<string, EvidenceArtifact[]> = {}, texts: Record<string, string> = {}) {
  const store = new Map<string, EvidenceArtifact[]>(Object.entries(initial));
  const source: EvidenceSource & { store: Map<string, EvidenceArtifact[]> } = {
    store,
    listArtifacts: async (id) => store.get(id) ?? [],
    capturedText: (record) => texts[record.id],
    canStore: true,
    storeArtifacts: async (id, artifacts) => {
      store.set(id, [...(store.get(id) ?? []), ...artifacts]);
    },
    removeArtifacts: async (id) => {
      store.delete(id);
    },
    tables: () => [],
  };
  return source;
}
