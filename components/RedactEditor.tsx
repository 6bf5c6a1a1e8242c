import { useEffect, useRef, useState } from 'preact/hooks';
import type { PixelRect } from '@/utils/evidence/png-crop';
import { useT } from '@/utils/ui/i18n';
import { dragArea, initialArea, keyStep, nudge } from '@/utils/ui/redaction';

interface Props {
  imageUrl: string;
  /** The screenshot's size in pixels: areas are in these pixels. */
  image: { width: number; height: number };
  busy: boolean;
  error?: string;
  onApply: (areas: PixelRect[], keepOriginal: boolean) => void;
  onCancel: () => void;
}

const place = (rect: PixelRect, image: { width: number; height: number }) => ({
  left: `${(rect.x / image.width) * 100}%`,
  top: `${(rect.y / image.height) * 100}%`,
  width: `${(rect.width / image.width) * 100}%`,
  height: `${(rect.height / image.height) * 100}%`,
});

/**
 * The box tool for blacking out parts of the screenshot before it is sent. Mouse: drag to add an
 * area. Keyboard (the image has focus): arrow keys move the box, Shift+arrow keys resize it,
 * Enter adds it, Backspace takes the last area back. Areas are listed as text (for screen
 * readers, and to remove one); the black boxes shown here are only a preview — the pixels are
 * filled in the image itself when the redaction is applied (utils/evidence/redact.ts).
 */
export function RedactEditor({ imageUrl, image, busy, error, onApply, onCancel }: Props) {
  const t = useT();
  const [areas, setAreas] = useState<PixelRect[]>([]);
  const [current, setCurrent] = useState<PixelRect>(() => initialArea(image));
  const [keepOriginal, setKeepOriginal] = useState(false);
  const [missing, setMissing] = useState(false);
  const drag = useRef<{ x: number; y: number } | null>(null);
  const stage = useRef<HTMLDivElement>(null);
  // The tool opens with the image focused, so the keys work at once.
  useEffect(() => stage.current?.focus(), []);

  const toImage = (event: PointerEvent) => {
    const rect = stage.current!.getBoundingClientRect();
    return { x: ((event.clientX - rect.left) / rect.width) * image.width, y: ((event.clientY - rect.top) / rect.height) * image.height };
  };
  const add = (area: PixelRect) => {
    setAreas((list) => [...list, area]);
    setMissing(false);
  };

  return (
    <section class="redact" aria-labelledby="redact-heading">
      <h2 id="redact-heading">{t('redact_heading')}</h2>
      <p id="redact-help" class="hint">
        {t('redact_help')}
      </p>
      <div
        ref={stage}
        class="redact-stage"
        tabIndex={0}
        role="application"
        aria-label={t('redact_stageLabel')}
        aria-describedby="redact-help redact-count"
        onKeyDown={(event) => {
          if (event.key.startsWith('Arrow')) {
            event.preventDefault();
            setCurrent(nudge(current, event.key, event.shiftKey, keyStep(image), image));
          } else if (event.key === 'Enter') {
            event.preventDefault();
            add(current);
          } else if (event.key === 'Backspace') {
            event.preventDefault();
            setAreas((list) => list.slice(0, -1));
          }
        }}
        onPointerDown={(event) => {
          if (event.button !== 0) return;
          event.preventDefault();
          stage.current?.focus();
          stage.current?.setPointerCapture?.(event.pointerId);
          drag.current = toImage(event);
        }}
        onPointerMove={(event) => {
          if (!drag.current) return;
          const area = dragArea(drag.current, toImage(event), image);
          if (area) setCurrent(area);
        }}
        onPointerUp={(event) => {
          if (!drag.current) return;
          const area = dragArea(drag.current, toImage(event), image);
          drag.current = null;
          if (area) {
            setCurrent(area);
            add(area);
          }
        }}
      >
        <img src={imageUrl} alt="" draggable={false} />
        {areas.map((area, i) => (
          <div key={i} class="redact-area" style={place(area, image)} />
        ))}
        <div class="redact-current" style={place(current, image)} />
      </div>
      <p id="redact-count" role="status" aria-live="polite">
        {t('redact_count', areas.length)}
      </p>
      {areas.length > 0 && (
        <ol class="redact-list">
          {areas.map((area, i) => (
            <li key={i}>
              <span>{t('redact_areaItem', [i + 1, area.x, area.y, area.width, area.height])}</span>{' '}
              <button type="button" class="link" onClick={() => setAreas(areas.filter((_, j) => j !== i))}>
                {t('redact_removeArea', i + 1)}
              </button>
            </li>
          ))}
        </ol>
      )}
      <div class="field checkbox">
        <input type="checkbox" id="keep-original" checked={keepOriginal} onChange={(event) => setKeepOriginal(event.currentTarget.checked)} />
        <label for="keep-original">{t('redact_keepOriginal')}</label>
      </div>
      {(missing || error) && (
        <p class="form-error" role="alert">
          {error ?? t('redact_noAreas')}
        </p>
      )}
      <div class="redact-actions">
        <button
          type="button"
          class="primary"
          aria-disabled={busy ? 'true' : undefined}
          onClick={() => {
            if (busy) return;
            if (areas.length === 0) setMissing(true);
            else onApply(areas, keepOriginal);
          }}
        >
          {t('redact_apply')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('redact_cancel')}
        </button>
      </div>
    </section>
  );
}
