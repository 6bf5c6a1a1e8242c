// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { EvidenceSummary } from '@/components/EvidenceSummary';
import { RedactEditor } from '@/components/RedactEditor';
import type { PreviewArtifact } from '@/utils/ui/report-window';
import { verifyArtifacts } from '@/utils/ui/report-window';
import { sha256Hex } from '@/utils/evidence/hash';

afterEach(cleanup);

const ARTIFACTS: PreviewArtifact[] = [
  { name: 'viewport.png', sha256: 'a'.repeat(64), size: 4, imageUrl: 'blob:viewport' },
  { name: 'element.png', sha256: 'b'.repeat(64), size: 4, imageUrl: 'blob:element' },
  { name: 'text.txt', sha256: 'c'.repeat(64), size: 2, text: '造谣' },
];

describe('the evidence in one line', () => {
  const summary = (props: Partial<Parameters<typeof EvidenceSummary>[0]> = {}) =>
    render(
      <EvidenceSummary
        artifacts={ARTIFACTS}
        verification="verified"
        blurred={false}
        metadataOnly={false}
        pending={false}
        expanded={false}
        onToggle={vi.fn()}
        {...props}
      >
        <p>full preview</p>
      </EvidenceSummary>,
    );

  it('says how many items and whether they verified, with thumbnails, and keeps the details collapsed until asked', () => {
    const onToggle = vi.fn();
    summary({ onToggle });
    const toggle = screen.getByRole('button', { name: 'Evidence: 3 items, verified' });
    expect(toggle.getAttribute('aria-expanded')).toBe('false');
    expect(document.querySelectorAll('img.thumb')).toHaveLength(2);
    expect(screen.queryByText('full preview')).toBeNull();
    fireEvent.click(toggle);
    expect(onToggle).toHaveBeenCalledTimes(1);
  });

  it('shows the details when expanded; says so while checking, on a mismatch and while the screenshot is pending', () => {
    summary({ expanded: true });
    expect(screen.getByRole('button', { name: /verified/ }).getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByText('full preview')).toBeTruthy();
    cleanup();
    summary({ verification: 'checking' });
    expect(screen.getByRole('button', { name: 'Evidence: 3 items, checking…' })).toBeTruthy();
    cleanup();
    summary({ verification: 'mismatch' });
    expect(screen.getByRole('button', { name: 'Evidence: 3 items, changed since capture' })).toBeTruthy();
    cleanup();
    summary({ pending: true });
    expect(screen.getByRole('button', { name: 'Evidence: 3 items, screenshot pending' })).toBeTruthy();
  });

  it('blurs thumbnails for harmful-to-minors; shows none, and the guidance, for metadata-only', () => {
    summary({ blurred: true });
    for (const img of document.querySelectorAll('img.thumb')) expect(img.className).toContain('blurred');
    cleanup();
    summary({ metadataOnly: true, artifacts: ARTIFACTS });
    expect(document.querySelectorAll('img')).toHaveLength(0);
    expect(screen.getByRole('button', { name: 'Evidence: 1 items, verified' })).toBeTruthy();
    expect(screen.getByRole('note').textContent).toMatch(/Do not save, download or share/);
  });

  it('verification re-hashes the stored bytes: a changed byte is a mismatch', async () => {
    const bytes = new TextEncoder().encode('造谣');
    const row = {
      captureId: 'c',
      name: 'text.txt' as const,
      mediaType: 'text/plain;charset=utf-8' as const,
      bytes,
      sha256: await sha256Hex(bytes),
      size: bytes.length,
      capturedAt: 1,
    };
    expect(await verifyArtifacts([row])).toBe('verified');
    expect(await verifyArtifacts([{ ...row, bytes: new TextEncoder().encode('谣言') }])).toBe('mismatch');
  });
});

describe('the redaction box tool, with the keyboard', () => {
  const keys = (stage: HTMLElement, ...presses: Array<[string, boolean?]>) => presses.forEach(([key, shiftKey]) => fireEvent.keyDown(stage, { key, shiftKey }));

  it('starts focused; arrows move the box, Shift+arrows resize it, Enter adds it, Backspace takes it back; Apply hands over the areas', () => {
    const onApply = vi.fn();
    render(<RedactEditor imageUrl="blob:x" image={{ width: 1000, height: 600 }} busy={false} onApply={onApply} onCancel={vi.fn()} />);
    const stage = screen.getByRole('application', { name: 'Screenshot to redact' });
    expect(document.activeElement).toBe(stage);
    // Starts at 100,60 300×90; a step is 20 px (a fiftieth of the width).
    keys(stage, ['ArrowRight'], ['ArrowDown'], ['ArrowRight', true], ['ArrowDown', true], ['Enter']);
    expect(screen.getByText('Area 1: from 120, 80, 320 × 110 pixels')).toBeTruthy();
    keys(stage, ['ArrowLeft'], ['ArrowLeft'], ['Enter'], ['Enter'], ['Backspace']);
    expect(screen.getByText('Areas to black out: 2')).toBeTruthy();
    expect(screen.getByText('Area 2: from 80, 80, 320 × 110 pixels')).toBeTruthy();
    fireEvent.click(screen.getByRole('checkbox', { name: /Keep the original on this device only/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply redaction' }));
    expect(onApply).toHaveBeenCalledWith(
      [
        { x: 120, y: 80, width: 320, height: 110 },
        { x: 80, y: 80, width: 320, height: 110 },
      ],
      true,
    );
  });

  it('keeps the box inside the image, and asks for an area before applying', () => {
    const onApply = vi.fn();
    render(<RedactEditor imageUrl="blob:x" image={{ width: 100, height: 50 }} busy={false} onApply={onApply} onCancel={vi.fn()} />);
    const stage = screen.getByRole('application', { name: 'Screenshot to redact' });
    for (let i = 0; i < 40; i++) keys(stage, ['ArrowRight'], ['ArrowDown'], ['ArrowRight', true]);
    keys(stage, ['Enter']);
    // Grown and moved to the right and bottom edges, never past them.
    expect(screen.getByText('Area 1: from 40, 42, 60 × 8 pixels')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Remove area 1' }));
    fireEvent.click(screen.getByRole('button', { name: 'Apply redaction' }));
    expect(onApply).not.toHaveBeenCalled();
    expect(screen.getByRole('alert').textContent).toBe('Add at least one area first.');
  });
});
