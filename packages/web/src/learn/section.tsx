// The guide's sections: their ids and titles (the table of contents), and the section frame.
import type { ReactNode } from 'react';
import { InternalLink } from './links.js';

export const LEARN_SECTIONS = [
  { id: 'learn-gradcam', title: 'What Grad-CAM computes' },
  { id: 'learn-counterfactual', title: 'The counterfactual map' },
  { id: 'learn-methods', title: 'The family of methods' },
  { id: 'learn-architectures', title: 'The architectures' },
  { id: 'learn-limits', title: 'Limits of Grad-CAM' },
  { id: 'learn-faithfulness', title: 'Faithfulness' },
  { id: 'learn-references', title: 'References' },
] as const;

export type SectionId = (typeof LEARN_SECTIONS)[number]['id'];

export const sectionTitle = (id: SectionId) => LEARN_SECTIONS.find((s) => s.id === id)!.title;

export function Section({ id, children }: { id: SectionId; children: ReactNode }) {
  return (
    <section className="learn-section" aria-labelledby={id}>
      <h3 id={id} tabIndex={-1}>
        {sectionTitle(id)}
      </h3>
      {children}
    </section>
  );
}

export function SectionLink({ id }: { id: SectionId }) {
  return <InternalLink to={id}>{sectionTitle(id)}</InternalLink>;
}
