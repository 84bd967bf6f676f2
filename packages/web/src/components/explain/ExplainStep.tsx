// Step 3: the explanation, in views chosen by tabs (views.tsx): the heatmap with its settings and
// checks, "How was this computed?", and the views other panels add.
import { useEffect, useRef } from 'react';
import { useStore } from '../../state/store';
import { EXPLAIN_VIEWS } from './views';
import { panelId, tabId, ViewTabs } from './ViewTabs';

export function ExplainStep({
  onLearnMore,
}: {
  /** Opens the guide, at the element with id `section` when given. */
  onLearnMore(section?: string): void;
}) {
  const view = useStore((s) => s.explainView);
  const setView = useStore((s) => s.setExplainView);
  const current = EXPLAIN_VIEWS.find((v) => v.id === view) ?? EXPLAIN_VIEWS[0];
  const Panel = current.Panel;
  // On a phone the steps are stacked: after a new photo, bring its result (this step) into view,
  // and again when its first heatmap arrives (step 2 has grown meanwhile).
  const section = useRef<HTMLElement>(null);
  const photoId = useStore((s) => s.photo?.id ?? null);
  const explained = useStore((s) => (s.explanation ? s.explanation.photoId : null));
  const firstMap = explained !== null && explained === photoId ? photoId : null;
  useEffect(() => {
    if (photoId === null || !window.matchMedia('(max-width: 720px)').matches) return;
    const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
    section.current?.scrollIntoView({ behavior: still ? 'auto' : 'smooth', block: 'start' });
  }, [photoId, firstMap]);
  return (
    <section ref={section} className="step step-explain" aria-labelledby="step-explain">
      <div className="step-head step-head-explain">
        <h2 id="step-explain">
          <span className="step-num" aria-hidden="true">
            3
          </span>
          Explain
        </h2>
        <ViewTabs
          name="explain"
          label="Views of the explanation"
          items={EXPLAIN_VIEWS}
          value={current.id}
          onChange={setView}
        />
      </div>
      <div
        role="tabpanel"
        id={panelId('explain', current.id)}
        aria-labelledby={tabId('explain', current.id)}
        className={`view-panel view-${current.id}`}
      >
        <Panel onLearnMore={onLearnMore} />
      </div>
    </section>
  );
}
