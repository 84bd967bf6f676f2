// Learn more: the networks of core's registry, with their papers, sizes and accuracies.
import { MODELS, type ModelSpec } from '@gradcam-explorer/core/pure';
import { Cite, ExternalLink, InternalLink } from '../links.js';
import { modelNote } from '../notes.js';
import { ScrollBox } from '../ScrollBox.js';
import { Section } from '../section.js';

export const modelAnchor = (id: string) => `learn-model-${id.replace(/[^a-z0-9-]/gi, '-')}`;

const numberFormat = new Intl.NumberFormat('en-US');
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const millions = (n: number) => `${(n / 1e6).toFixed(1)} M`;

export function ArchitecturesSection() {
  return (
    <Section id="learn-architectures">
      <p>
        All {MODELS.length} networks are ImageNet classifiers (1000 classes) with the official Keras
        weights. Accuracies are the ImageNet validation figures documented by{' '}
        <Cite id="keras-applications" />; depth counts weight layers as usually counted for each
        architecture.
      </p>
      <ScrollBox label="The architectures at a glance">
        <table>
          <caption>The architectures at a glance</caption>
          <thead>
            <tr>
              <th scope="col">Network</th>
              <th scope="col">Year</th>
              <th scope="col">Weight layers</th>
              <th scope="col">Parameters</th>
              <th scope="col">Top-1</th>
              <th scope="col">Top-5</th>
              <th scope="col">Input</th>
              <th scope="col">Grad-CAM grid</th>
            </tr>
          </thead>
          <tbody>
            {MODELS.map((m) => (
              <tr key={m.id}>
                <th scope="row">
                  <InternalLink to={modelAnchor(m.id)}>{m.name}</InternalLink>
                </th>
                <td>{m.facts.year}</td>
                <td>{m.facts.depth}</td>
                <td>
                  <abbr title={numberFormat.format(m.parameters)}>{millions(m.parameters)}</abbr>
                </td>
                <td>{percent(m.facts.top1)}</td>
                <td>{percent(m.facts.top5)}</td>
                <td>
                  {m.inputSize}×{m.inputSize}
                </td>
                <td>{modelNote(m)?.mapSize ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      {MODELS.map((m) => (
        <ModelEntry key={m.id} model={m} />
      ))}
    </Section>
  );
}

function ModelEntry({ model: m }: { model: ModelSpec }) {
  const note = modelNote(m);
  const anchor = modelAnchor(m.id);
  const paper = m.facts.paper;
  return (
    <section className="learn-model" aria-labelledby={anchor}>
      <h4 id={anchor} tabIndex={-1}>
        {m.name} ({m.facts.year})
      </h4>
      <p>{m.summary}</p>
      <dl className="learn-facts">
        <dt>Paper</dt>
        <dd>
          <ExternalLink href={paper.url}>{paper.title}</ExternalLink>, {paper.authors},{' '}
          {paper.venue}
        </dd>
        <dt>Size</dt>
        <dd>
          {m.facts.depth} weight layers, {numberFormat.format(m.parameters)} parameters
        </dd>
        <dt>ImageNet accuracy</dt>
        <dd>
          {percent(m.facts.top1)} top-1, {percent(m.facts.top5)} top-5
        </dd>
        <dt>Input</dt>
        <dd>
          {m.inputSize}×{m.inputSize} pixels
        </dd>
        <dt>Default Grad-CAM layer</dt>
        <dd>
          <code>{m.defaultLayer}</code>
          {note && <>, a {note.mapSize} grid</>}
        </dd>
      </dl>
      {note && <p>{note.why}</p>}
    </section>
  );
}
