// Content wider than the panel (a long formula, a wide table) scrolls sideways inside its own box,
// never the page. Such a box becomes focusable, so the keyboard can scroll it too, and it is named
// for screen readers.
import { useLayoutEffect, useRef, useState, type ReactNode, type RefObject } from 'react';

/** Whether the element overflows sideways, kept up to date as it or its content resizes. */
export function useScrolls(ref: RefObject<HTMLElement | null>, key: unknown): boolean {
  const [scrolls, setScrolls] = useState(false);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const check = () => setScrolls(el.scrollWidth > el.clientWidth + 1);
    check();
    const ro = new ResizeObserver(check);
    ro.observe(el);
    // The content can grow without the box changing size (KaTeX's fonts arriving).
    for (const child of Array.from(el.querySelectorAll('.katex, table'))) ro.observe(child);
    void document.fonts?.ready.then(check);
    return () => ro.disconnect();
  }, [ref, key]);
  return scrolls;
}

/** A box for a wide table: scrolls sideways, focusable when it does. */
export function ScrollBox({ label, children }: { label: string; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  const scrolls = useScrolls(ref, null);
  return (
    <div
      ref={ref}
      className={`learn-table-wrap${scrolls ? ' learn-scrolls' : ''}`}
      tabIndex={scrolls ? 0 : undefined}
      role={scrolls ? 'region' : undefined}
      aria-label={scrolls ? `${label}, scrolls sideways` : undefined}
    >
      {children}
    </div>
  );
}
