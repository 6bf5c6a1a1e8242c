import { elementScroll, observeElementOffset, observeElementRect, Virtualizer } from '@tanstack/virtual-core';
import { useLayoutEffect, useReducer, useRef } from 'preact/hooks';

/**
 * A TanStack Virtual (`@tanstack/virtual-core`) list for Preact: only the rows in view (plus
 * `overscan`) are in the DOM, so the workspace stays fast with 10,000 reports. The core is
 * framework-agnostic; this is the same wiring `@tanstack/react-virtual` does, without pulling
 * React compatibility aliases into the build.
 */
export function useVirtualList(options: { count: number; rowHeight: number; getScrollElement: () => HTMLElement | null; overscan?: number }) {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const ref = useRef<Virtualizer<HTMLElement, Element>>();
  const resolved = {
    count: options.count,
    getScrollElement: options.getScrollElement,
    estimateSize: () => options.rowHeight,
    overscan: options.overscan ?? 8,
    // Rows render on the first pass too, before the container has been measured.
    initialRect: { width: 800, height: 800 },
    observeElementRect,
    observeElementOffset,
    scrollToFn: elementScroll,
    onChange: () => rerender(undefined),
  };
  if (!ref.current) ref.current = new Virtualizer<HTMLElement, Element>(resolved);
  else ref.current.setOptions(resolved);
  const virtualizer = ref.current;
  useLayoutEffect(() => virtualizer._didMount(), [virtualizer]);
  useLayoutEffect(() => {
    virtualizer._willUpdate();
  });
  return virtualizer;
}
