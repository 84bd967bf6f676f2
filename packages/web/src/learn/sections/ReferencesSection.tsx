// Learn more: the references, grouped, with the networks' papers.
import { MODELS } from '@gradcam-explorer/core/pure';
import { ExternalLink } from '../links.js';
import { REFERENCE_GROUPS, refAnchor } from '../references.js';
import { Section } from '../section.js';

export function ReferencesSection() {
  return (
    <Section id="learn-references">
      {REFERENCE_GROUPS.map((group) => (
        <div key={group.heading} className="learn-ref-group">
          <h4>{group.heading}</h4>
          <ol className="learn-refs">
            {group.references.map((r) => (
              <li key={r.id} id={refAnchor(r.id)} tabIndex={-1}>
                {r.authors}
                {r.year !== undefined && <> ({r.year})</>}. <cite>{r.title}</cite>. {r.venue}.{' '}
                {r.links.map((l, i) => (
                  <span key={l.url}>
                    {i > 0 && ' · '}
                    <ExternalLink href={l.url}>{l.label}</ExternalLink>
                  </span>
                ))}
              </li>
            ))}
            {group.withModelPapers &&
              MODELS.map((m) => (
                <li key={m.id} id={refAnchor(`model-${m.id}`)} tabIndex={-1}>
                  {m.facts.paper.authors} ({m.facts.paper.year}). <cite>{m.facts.paper.title}</cite>
                  . {m.facts.paper.venue}.{' '}
                  <ExternalLink href={m.facts.paper.url}>{`${m.name} paper`}</ExternalLink>
                </li>
              ))}
          </ol>
        </div>
      ))}
    </Section>
  );
}
