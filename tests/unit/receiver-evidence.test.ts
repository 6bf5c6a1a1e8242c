import { afterEach, describe, expect, it } from 'vitest';
import { BUILT_IN_CATEGORIES } from '@/utils/categories';
import { bytesToBase64, manifestHash, sha256Hex } from '@/utils/evidence/hash';
import { buildReport } from '@/utils/reports';
import type { Report } from '@/utils/schema/report';
import { startReceiver, type Receiver } from '../support/receiver';

let receiver: Receiver | undefined;
afterEach(async () => {
  await receiver?.close();
  receiver = undefined;
});

async function reportWithEvidence(id: string, tamper?: (r: Report) => void): Promise<Report> {
  const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3, 4]);
  const text = new TextEncoder().encode('<script>alert(1)</script> 文本');
  const artifacts = [
    { name: 'viewport.png' as const, mediaType: 'image/png' as const, bytes: png },
    { name: 'text.txt' as const, mediaType: 'text/plain;charset=utf-8' as const, bytes: text },
  ];
  const entries = await Promise.all(
    artifacts.map(async (a) => ({ name: a.name, mediaType: a.mediaType, sha256: await sha256Hex(a.bytes), size: a.bytes.length, bytes: a.bytes })),
  );
  const report: Report = {
    ...buildReport(
      { tabId: 1, category: 'rumor', explanation: '', goodFaith: true },
      { url: 'https://x.example/', title: 't' },
      {
        clock: () => Date.UTC(2026, 0, 1),
        newId: () => id,
        categories: BUILT_IN_CATEGORIES,
        client: { version: '0', locale: 'en' },
      },
    ),
    evidence: {
      manifestSha256: await manifestHash(entries),
      artifacts: entries.map(({ bytes, ...e }) => ({ ...e, capturedAt: '2026-01-01T00:00:00.000+00:00', dataBase64: bytesToBase64(bytes) })),
      unavailable: [],
    },
  };
  tamper?.(report);
  return report;
}

async function post(reports: Report[]) {
  const response = await fetch(receiver!.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ reports }) });
  return response.json();
}

describe('reference receiver: evidence', () => {
  it('recomputes every hash and the manifest, and flags a mismatch', async () => {
    receiver = await startReceiver();
    const good = await reportWithEvidence('00000000-0000-4000-8000-00000000e001');
    const bad = await reportWithEvidence('00000000-0000-4000-8000-00000000e002', (r) => {
      const artifact = r.evidence!.artifacts[0]!;
      artifact.dataBase64 = bytesToBase64(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 9, 9, 9, 9]));
    });
    await post([good, bad]);
    const stored = Object.fromEntries(receiver.reports().map((r) => [r.id, r]));
    expect(stored[good.id]?.evidenceCheck).toMatchObject({ ok: true, manifestOk: true });
    expect(stored[bad.id]?.evidenceCheck).toMatchObject({
      ok: false,
      manifestOk: false,
      artifacts: [
        { name: 'viewport.png', ok: false },
        { name: 'text.txt', ok: true },
      ],
    });
  });
});
