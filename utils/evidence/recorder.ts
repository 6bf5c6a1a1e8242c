import { recordCapture, type CaptureDeps, type CaptureInput } from './capture';
import type { CaptureRecord } from './store';

/**
 * Records a pick (picker or context menu) and opens its report form as soon as the capture can be
 * shown — before its screenshot is stored when the policy has not answered yet (a browser's first
 * `storage.managed` read can take seconds; utils/evidence/capture.ts keeps the screenshot in
 * memory meanwhile). A submit of such a capture waits for `settled` first.
 */
export function createCaptureRecorder(deps: CaptureDeps, openForm: (captureId: string) => Promise<void>) {
  const recording = new Map<string, Promise<CaptureRecord>>();
  return {
    /** Resolves with the capture once its form is open (its screenshot may still be pending). */
    async record(tabId: number, input: CaptureInput, options: { metadataOnly: boolean | PromiseLike<boolean>; windowId?: number }): Promise<CaptureRecord> {
      let recorded!: (capture: CaptureRecord) => void;
      const shown = new Promise<CaptureRecord>((resolve) => (recorded = resolve));
      const done = recordCapture(deps, tabId, input, { ...options, onRecorded: recorded });
      const capture = await Promise.race([shown, done]);
      if (capture.screenshotPending) {
        recording.set(capture.id, done);
        done.then(
          () => recording.delete(capture.id),
          (error: unknown) => (recording.delete(capture.id), console.warn('Flagline could not store a screenshot:', error)),
        );
      }
      performance.mark('flagline:capture:open-form');
      await openForm(capture.id);
      return capture;
    },
    /** Waits until a capture's screenshot is stored or dropped (at once when nothing is pending). */
    settled: async (captureId: string): Promise<void> => {
      await recording.get(captureId)?.catch(() => undefined);
    },
  };
}
export type CaptureRecorder = ReturnType<typeof createCaptureRecorder>;
