import { renderTex } from './formulas.js';

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
    <div className="learn-math learn-math-display" dangerouslySetInnerHTML={{ __html: html }} />
  ) : (
    <span className="learn-math" dangerouslySetInnerHTML={{ __html: html }} />
  );
}
