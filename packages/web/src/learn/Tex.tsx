import { useRef } from 'react';
import { renderTex } from './formulas.js';
import { useScrolls } from './ScrollBox.js';

/** A display formula: scrolls sideways inside its box when wider than the panel (ScrollBox.tsx). */
function DisplayMath({ html }: { html: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const scrolls = useScrolls(ref, html);
  return (
    <div
      ref={ref}
      className={`learn-math learn-math-display${scrolls ? ' learn-scrolls' : ''}`}
      tabIndex={scrolls ? 0 : undefined}
      role={scrolls ? 'region' : undefined}
      aria-label={scrolls ? 'Formula, scrolls sideways' : undefined}
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}

/**
 * A typeset formula (KaTeX HTML with MathML for screen readers). `display` gives a centred block;
 * otherwise the formula flows in the text. Should KaTeX reject the TeX, the source is shown as code
 * (the test asserts that this never happens).
 */
export function Tex({ tex, display = false }: { tex: string; display?: boolean }) {
  let html: string;
  try {
    html = renderTex(tex, display);
  } catch {
    return <code className="learn-tex-error">{tex}</code>;
  }
  return display ? (
    <DisplayMath html={html} />
  ) : (
    <span className="learn-math" dangerouslySetInnerHTML={{ __html: html }} />
  );
}
