import type { FlaglineDB } from '../db';
import type { ArtifactName, UnavailableReason } from '../schema/capture';
import type { Target } from '../schema/report';

/**
 * A capture waiting for its report form: what was picked (target, captured at pick time) and
 * which artifacts exist or why they don't. Written to IndexedDB before the form opens, so a
 * closed window or a stopped worker loses nothing.
 */
export interface CaptureRecord {
  id: string;
  tabId: number;
  createdAt: number;
  /** The target as it will go into the report (page URL and title from the tab record). */
  target: Target;
  /** Started for a metadata-only category: no pixels were captured. */
  metadataOnly: boolean;
  unavailable: Array<{ name: ArtifactName; reason: UnavailableReason; detail?: string }>;
  /** The page's clock at the pick (a hint only; for the bench: pick → saved). */
  pickedAt?: number;
  /**
   * The screenshot is taken and held in the worker's memory until the settings and policy, fully
   * read, confirm that screenshots may be kept (utils/evidence/capture.ts): the form opens
   * meanwhile. Cleared when the images are stored or dropped.
   */
  screenshotPending?: boolean;
  /** The screenshots were redacted before submitting: how many areas were blacked out. */
  redactedAreas?: number;
  /** When every artifact was saved (epoch ms). */
  savedAt?: number;
}

export interface ArtifactRow {
  captureId: string;
  name: ArtifactName;
  mediaType: 'image/png' | 'text/plain;charset=utf-8';
  bytes: Uint8Array;
  sha256: string;
  size: number;
  capturedAt: number;
}

export const IMAGE_ARTIFACTS: readonly ArtifactName[] = ['viewport.png', 'element.png'];

export const loadArtifacts = (db: FlaglineDB, captureId: string) => db.artifacts.where('captureId').equals(captureId).toArray();

/**
 * Deletes a capture's image bytes for good (metadata-only categories): they are neither kept
 * on this computer nor sent. Records why in the capture.
 */
export async function discardImageArtifacts(db: FlaglineDB, captureId: string): Promise<void> {
  await db.transaction('rw', db.artifacts, db.captures, async () => {
    const capture = await db.captures.get(captureId);
    await db.artifacts
      .where('captureId')
      .equals(captureId)
      .filter((a) => IMAGE_ARTIFACTS.includes(a.name))
      .delete();
    if (!capture) return;
    const others = capture.unavailable.filter((u) => !IMAGE_ARTIFACTS.includes(u.name));
    await db.captures.update(captureId, {
      metadataOnly: true,
      unavailable: [...others, ...IMAGE_ARTIFACTS.map((name) => ({ name, reason: 'category-policy' as const }))],
    });
  });
}
