import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { bytesToBase64, base64ToBytes, dataUrlToBytes, manifestHash, manifestJson, sha256Hex, verifyEvidence } from '@/utils/evidence/hash';

const text = new TextEncoder().encode('清朗 evidence');
const png = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255]);

describe('evidence hashes', () => {
  it('sha256 matches Node crypto over the exact bytes', async () => {
    expect(await sha256Hex(text)).toBe(createHash('sha256').update(text).digest('hex'));
    expect(await sha256Hex(new Uint8Array())).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('base64 round-trips binary and data URLs', () => {
    const big = new Uint8Array(200_000).map((_, i) => i % 256);
    expect(base64ToBytes(bytesToBase64(big))).toEqual(big);
    expect(dataUrlToBytes(`data:image/png;base64,${bytesToBase64(png)}`)).toEqual(png);
    expect(() => dataUrlToBytes('data:text/plain,hi')).toThrow();
  });

  it('the manifest is order-independent canonical JSON of name, type, hash and size', async () => {
    const a = { name: 'text.txt' as const, mediaType: 'text/plain;charset=utf-8' as const, sha256: await sha256Hex(text), size: text.length };
    const b = { name: 'viewport.png' as const, mediaType: 'image/png' as const, sha256: await sha256Hex(png), size: png.length };
    expect(manifestJson([b, a])).toBe(manifestJson([a, b]));
    expect(manifestJson([a])).toBe(`[{"mediaType":"text/plain;charset=utf-8","name":"text.txt","sha256":"${a.sha256}","size":${a.size}}]`);
    expect(await manifestHash([a, b])).toBe(
      createHash('sha256')
        .update(manifestJson([a, b]))
        .digest('hex'),
    );
    expect(await manifestHash([a])).not.toBe(await manifestHash([a, b]));
  });

  it('verification recomputes every hash and flags a changed byte or manifest', async () => {
    const entry = { name: 'viewport.png' as const, mediaType: 'image/png' as const, sha256: await sha256Hex(png), size: png.length };
    const good = { manifestSha256: await manifestHash([entry]), artifacts: [{ ...entry, dataBase64: bytesToBase64(png) }] };
    expect((await verifyEvidence(good)).ok).toBe(true);

    const tampered = png.slice();
    tampered[5] = 9;
    const bad = await verifyEvidence({ ...good, artifacts: [{ ...entry, dataBase64: bytesToBase64(tampered) }] });
    expect(bad).toMatchObject({ ok: false, manifestOk: false, artifacts: [{ name: 'viewport.png', ok: false }] });

    const wrongManifest = await verifyEvidence({ ...good, manifestSha256: '0'.repeat(64) });
    expect(wrongManifest).toMatchObject({ ok: false, manifestOk: false, artifacts: [{ ok: true }] });
  });
});
