import type { MouseEvent, ReactNode } from 'react';
import { CITE_LABELS, refAnchor } from './references.js';

/**
 * Id of the guide's "local, first-order, one image" paragraph, which the caveat beside the heatmap
 * opens. Here rather than in LearnMore so the dashboard can use it without loading the guide.
 */
export const LEARN_LOCAL_ID = 'learn-local';

/**
 * In-panel navigation: scroll the target into view inside whatever scroll container holds the panel
 * (modal or side panel) and move keyboard focus to it, without touching the page's URL hash.
 */
export function jumpTo(event: MouseEvent<HTMLAnchorElement>, id: string): void {
  const target = document.getElementById(id);
  if (!target) return;
  event.preventDefault();
  target.scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
}

/** A link to an element of the panel (heading or reference) by id. */
export function InternalLink({ to, children }: { to: string; children: ReactNode }) {
  return (
    <a href={`#${to}`} onClick={(e) => jumpTo(e, to)}>
      {children}
    </a>
  );
}

/** An in-text citation linking to the reference list, e.g. "(Selvaraju et al. 2020)". */
export function Cite({ id, children }: { id: string; children?: ReactNode }) {
  return <InternalLink to={refAnchor(id)}>{children ?? CITE_LABELS[id] ?? id}</InternalLink>;
}

/** An external https link, opened in a new tab so the app keeps its state. */
export function ExternalLink({ href, children }: { href: string; children: ReactNode }) {
  return (
    <a href={href} target="_blank" rel="noopener noreferrer">
      {children}
      <span className="learn-visually-hidden"> (opens in a new tab)</span>
    </a>
  );
}
