// The "Learn more" panel: what Grad-CAM computes, its counterfactual, the other methods, the
// architectures, limits, faithfulness metrics and references. Architectures come from core's MODELS
// and methods from core's CAM_METHODS, so a new model or method appears here without editing this
// file. Both registries are plain data (`@gradcam-explorer/core/pure`), so the main thread does not
// bundle TensorFlow.js.
import { useEffect, useRef } from 'react';
import 'katex/dist/katex.min.css';
import './learn.css';
import { Cite } from './links.js';
import { LEARN_SECTIONS, SectionLink } from './section.js';
import { ArchitecturesSection } from './sections/ArchitecturesSection.js';
import { CounterfactualSection } from './sections/CounterfactualSection.js';
import { FaithfulnessSection } from './sections/FaithfulnessSection.js';
import { GradCamSection } from './sections/GradCamSection.js';
import { LimitsSection } from './sections/LimitsSection.js';
import { MethodsSection } from './sections/MethodsSection.js';
import { ReferencesSection } from './sections/ReferencesSection.js';

/** Id of the panel's title, for a surrounding dialog's `aria-labelledby`. */
export const LEARN_MORE_TITLE_ID = 'learn-more-title';

/**
 * The panel. Render it inside the dashboard's dialog or side panel; `onClose` is called by the close
 * button and by Escape (the keydown is then marked `defaultPrevented`, so a dashboard-level Escape
 * handler can skip it and a native `<dialog>` does not close a second time). `section`: the id of
 * an element of the panel to scroll to and focus when it opens (e.g. `LEARN_LOCAL_ID`).
 */
export function LearnMore(props: { onClose(): void; section?: string }) {
  const onCloseRef = useRef(props.onClose);
  useEffect(() => {
    onCloseRef.current = props.onClose;
  });
  const { section } = props;
  useEffect(() => {
    if (!section) return;
    // Next frame: the surrounding dialog opens (and moves focus) after this effect has run.
    const frame = requestAnimationFrame(() => {
      const target = document.getElementById(section);
      target?.scrollIntoView({ block: 'start' });
      target?.focus({ preventScroll: true });
    });
    return () => cancelAnimationFrame(frame);
  }, [section]);
  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      event.preventDefault();
      onCloseRef.current();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, []);

  return (
    <article className="learn-more" aria-labelledby={LEARN_MORE_TITLE_ID}>
      <header className="learn-more-header">
        <h2 id={LEARN_MORE_TITLE_ID}>Learn more: how Grad-CAM sees</h2>
        <button
          type="button"
          className="learn-more-close"
          onClick={props.onClose}
          aria-keyshortcuts="Escape"
        >
          Close
        </button>
      </header>
      <p className="learn-lead">
        What the heatmaps show, how they are computed, where they mislead, and how to test them. The
        formulas follow <Cite id="selvaraju2020" />; each section takes a minute or two.
      </p>
      <nav className="learn-toc" aria-label="Learn more contents">
        <ol>
          {LEARN_SECTIONS.map((s) => (
            <li key={s.id}>
              <SectionLink id={s.id} />
            </li>
          ))}
        </ol>
      </nav>
      <GradCamSection />
      <CounterfactualSection />
      <MethodsSection />
      <ArchitecturesSection />
      <LimitsSection />
      <FaithfulnessSection />
      <ReferencesSection />
    </article>
  );
}
