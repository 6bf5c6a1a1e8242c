import type { ManifestEntry } from '../schema/capture';

/**
 * Integrity of evidence: SHA-256 (WebCrypto, available in the service worker, extension pages
 * and Node ≥ 20 alike) of every artifact's exact bytes, and a manifest hash that binds the set.
 * The reference receiver uses these same functions to recompute what it was sent.
 */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** JSON with object keys sorted and `undefined` dropped, so a hash depends on content only. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The manifest: `[{name, mediaType, sha256, size}]` sorted by name, as canonical JSON (UTF-8). */
export function manifestJson(entries: readonly ManifestEntry[]): string {
  const list = entries
    .map(({ name, mediaType, sha256, size }) => ({ name, mediaType, sha256, size }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return canonicalJson(list);
}

export const manifestHash = (entries: readonly ManifestEntry[], hash: (bytes: Uint8Array) => Promise<string> | string = sha256Hex) =>
  Promise.resolve(hash(new TextEncoder().encode(manifestJson(entries))));

/** The primitives `decodeAndVerifyEvidence` works with; a Node receiver passes faster native ones. */
export interface EvidencePrimitives {
  /** base64 → bytes. Node's `Buffer` decodes natively, about ten times faster than `atob`. */
  decode: (base64: string) => Uint8Array;
  /** SHA-256 as lower-case hex. Node's `createHash` answers synchronously, without WebCrypto's thread hop. */
  sha256: (bytes: Uint8Array) => Promise<string> | string;
}

const WEB_PRIMITIVES: EvidencePrimitives = { decode: base64ToBytes, sha256: sha256Hex };

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(binary);
}

export function base64ToBytes(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** `data:image/png;base64,…` (what captureVisibleTab returns) to bytes. */
export function dataUrlToBytes(dataUrl: string): Uint8Array {
  const comma = dataUrl.indexOf(',');
  if (!dataUrl.startsWith('data:') || comma < 0 || !dataUrl.slice(0, comma).endsWith(';base64')) throw new Error('not a base64 data URL');
  return base64ToBytes(dataUrl.slice(comma + 1));
}

export interface VerifiedArtifact {
  name: string;
  ok: boolean;
  /** What the artifact claimed, and what its bytes hash to. */
  claimed: { sha256: string; size: number };
  actual: { sha256: string; size: number };
}

export interface EvidenceVerification {
  ok: boolean;
  manifestOk: boolean;
  claimedManifest: string;
  actualManifest: string;
  artifacts: VerifiedArtifact[];
}

/** An artifact's verification with the bytes it was checked on (decoded once, for whoever stores them). */
export interface DecodedArtifact extends VerifiedArtifact {
  bytes: Uint8Array;
}

/**
 * Recomputes every artifact's hash and size from its bytes and the manifest hash from the
 * recomputed entries: any edited byte, entry or manifest shows up as a mismatch. Also returns the
 * decoded bytes, so a receiver that stores them decodes each artifact only once.
 */
export async function decodeAndVerifyEvidence(
  evidence: {
    manifestSha256: string;
    artifacts: ReadonlyArray<ManifestEntry & { dataBase64: string }>;
  },
  { decode, sha256 }: EvidencePrimitives = WEB_PRIMITIVES,
): Promise<Omit<EvidenceVerification, 'artifacts'> & { artifacts: DecodedArtifact[] }> {
  const artifacts: DecodedArtifact[] = [];
  const recomputed: ManifestEntry[] = [];
  for (const artifact of evidence.artifacts) {
    let bytes: Uint8Array;
    try {
      bytes = decode(artifact.dataBase64);
    } catch {
      // Not base64 at all: hashed as no bytes, so it shows as a mismatch rather than an exception.
      bytes = new Uint8Array();
    }
    const actual = { sha256: await sha256(bytes), size: bytes.length };
    artifacts.push({
      name: artifact.name,
      ok: actual.sha256 === artifact.sha256 && actual.size === artifact.size,
      claimed: { sha256: artifact.sha256, size: artifact.size },
      actual,
      bytes,
    });
    recomputed.push({ name: artifact.name, mediaType: artifact.mediaType, sha256: actual.sha256, size: actual.size });
  }
  const actualManifest = await manifestHash(recomputed, sha256);
  const manifestOk = actualManifest === evidence.manifestSha256;
  return { ok: manifestOk && artifacts.every((a) => a.ok), manifestOk, claimedManifest: evidence.manifestSha256, actualManifest, artifacts };
}

/** `decodeAndVerifyEvidence` without the bytes: the verdict to keep or show. */
export async function verifyEvidence(evidence: Parameters<typeof decodeAndVerifyEvidence>[0]): Promise<EvidenceVerification> {
  const check = await decodeAndVerifyEvidence(evidence);
  return { ...check, artifacts: check.artifacts.map(({ bytes: _bytes, ...verdict }) => verdict) };
}
