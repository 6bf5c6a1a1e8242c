// @vitest-environment happy-dom
import { act, cleanup, renderHook, waitFor } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import type { ArtifactRow } from '@/utils/evidence/store';
import { EMPTY_DRAFT } from '@/utils/report-form';
import { toPreviewArtifacts, usePickEvidence, useSessionDraft } from '@/utils/ui/report-window';
import { freshDb } from './helpers';

afterEach(cleanup);

const CAPTURE_ID = 'c1';

function row(name: ArtifactRow['name'], mediaType: ArtifactRow['mediaType'], bytes: Uint8Array): ArtifactRow {
  return { captureId: CAPTURE_ID, name, mediaType, bytes, sha256: 'ab'.repeat(32), size: bytes.length, capturedAt: 1 };
}

const png = row('element.png', 'image/png', new Uint8Array([137, 80, 78, 71]));
const text = row('text.txt', 'text/plain;charset=utf-8', new TextEncoder().encode('谣言原文'));

describe('toPreviewArtifacts', () => {
  it('previews a PNG through an object URL and decodes text, keeping name, hash and size', () => {
    const blobs: Blob[] = [];
    const previews = toPreviewArtifacts([png, text], (blob) => {
      blobs.push(blob);
      return 'blob:preview-1';
    });
    expect(previews).toEqual([
      { name: 'element.png', sha256: png.sha256, size: 4, imageUrl: 'blob:preview-1' },
      { name: 'text.txt', sha256: text.sha256, size: text.size, text: '谣言原文' },
    ]);
    expect(blobs.map((b) => b.type)).toEqual(['image/png']);
  });
});

describe('useSessionDraft', () => {
  it('restores a stored draft, ignores a stored value that is not a draft, keeps changes and forgets after a submit', async () => {
    const session = fakeBrowser.storage.session;
    await session.set({ 'draft:bad': { category: 42 }, 'draft:good': { ...EMPTY_DRAFT, explanation: '保留' } });

    const bad = renderHook(() => useSessionDraft(session, 'draft:bad'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(bad.result.current.draft).toEqual(EMPTY_DRAFT);

    const { result } = renderHook(() => useSessionDraft(session, 'draft:good'));
    await waitFor(() => expect(result.current.draft.explanation).toBe('保留'));
    await act(() => result.current.update({ ...result.current.draft, explanation: '改过' }));
    await waitFor(async () => expect((await session.get('draft:good'))['draft:good']).toMatchObject({ explanation: '改过' }));
    await result.current.forget();
    expect(await session.get('draft:good')).toEqual({});
  });
});

describe('usePickEvidence', () => {
  it('a capture that is gone reads as null', async () => {
    const { result } = renderHook(() => usePickEvidence(freshDb(), 'missing', false));
    await waitFor(() => expect(result.current.capture).toBeNull());
    expect(result.current.artifacts).toEqual([]);
  });

  it('choosing a metadata-only category deletes the captured pixels for good and keeps the text', async () => {
    const db = freshDb();
    await db.captures.add({
      id: CAPTURE_ID,
      tabId: 1,
      createdAt: 1,
      target: { kind: 'selection', url: 'https://a.example/', title: 'A' },
      metadataOnly: false,
      unavailable: [],
    } as never);
    await db.artifacts.bulkAdd([png, text]);
    const { result, rerender } = renderHook(({ chosen }) => usePickEvidence(db, CAPTURE_ID, chosen), { initialProps: { chosen: false } });
    await waitFor(() => expect(result.current.artifacts.map((a) => a.name).sort()).toEqual(['element.png', 'text.txt']));
    expect(result.current.metadataOnly).toBe(false);

    rerender({ chosen: true });
    expect(result.current.metadataOnly).toBe(true);
    await waitFor(() => expect(result.current.artifacts.map((a) => a.name)).toEqual(['text.txt']));
    await waitFor(() => expect(result.current.capture?.metadataOnly).toBe(true));
    // The capture now says so itself: choosing another category brings nothing back.
    rerender({ chosen: false });
    expect(result.current.metadataOnly).toBe(true);
    expect(await db.artifacts.count()).toBe(1);
  });
});
