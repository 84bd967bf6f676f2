// Learn more: the family of CAM methods (core's registry, then the extra ones explained), and when
// methods coincide.
import { CAM_METHODS, MODELS, type CamMethod, type ModelSpec } from '@gradcam-explorer/core/pure';
import { INLINE, METHOD_TEX, TEX } from '../formulas.js';
import { InternalLink } from '../links.js';
import { KIND_LABELS, METHOD_NOTES, modelNote } from '../notes.js';
import { refAnchor } from '../references.js';
import { ScrollBox } from '../ScrollBox.js';
import { Section } from '../section.js';
import { Tex } from '../Tex.js';

export const methodAnchor = (id: string) => `learn-method-${id.replace(/[^a-z0-9-]/gi, '-')}`;

export function MethodsSection() {
  const gapModels = MODELS.filter((m) => modelNote(m)?.head === 'gap');
  const denseModels = MODELS.filter((m) => modelNote(m)?.head === 'dense');
  return (
    <Section id="learn-methods">
      <p>
        Every layer method below follows the same skeleton: from the activations{' '}
        <Tex tex={INLINE.Ak} /> and the gradients <Tex tex={INLINE.G} />, compute either one weight
        per channel or a value per position; then apply the ReLU, divide by the maximum and
        upsample, as for Grad-CAM. They differ in how they use the gradient, or whether they use it
        at all. Notation:
      </p>
      <Tex display tex={TEX.notation} />
      <nav aria-label="Methods">
        <ul className="learn-inline-list">
          {CAM_METHODS.map((info) => (
            <li key={info.id}>
              <InternalLink to={methodAnchor(info.id)}>{info.name}</InternalLink>
            </li>
          ))}
          <li>
            <InternalLink to="learn-coincide">When methods coincide</InternalLink>
          </li>
        </ul>
      </nav>
      {CAM_METHODS.map((info) => (
        <MethodEntry key={info.id} info={info} />
      ))}
      <h4 id="learn-coincide" tabIndex={-1}>
        When methods coincide
      </h4>
      <p>
        Suppose the layer feeds global average pooling and then one dense layer with weights{' '}
        <Tex tex={INLINE.wk} />. The class score is a linear function of the activations, and its
        gradient is the same at every position:
      </p>
      <Tex display tex={TEX.gapScore} />
      <Tex display tex={TEX.gapGradient} />
      <p>
        Substitute the constant gradient <Tex tex={INLINE.g} /> into each method:
      </p>
      <ScrollBox label="Methods with a gradient that is the same at every position">
        <table>
          <caption>Methods with a gradient that is the same at every position</caption>
          <thead>
            <tr>
              <th scope="col">Method</th>
              <th scope="col">Becomes</th>
              <th scope="col">Same map as Grad-CAM?</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <th scope="row">Grad-CAM</th>
              <td>
                <Tex tex={INLINE.gapGradcam} />
              </td>
              <td>
                It is CAM&rsquo;s map after a ReLU, divided by <Tex tex={INLINE.Z} />. CAM itself
                has no ReLU.
              </td>
            </tr>
            <tr>
              <th scope="row">HiResCAM</th>
              <td>
                <Tex tex={INLINE.gapHirescam} />
              </td>
              <td>Yes, term for term.</td>
            </tr>
            <tr>
              <th scope="row">XGrad-CAM</th>
              <td>
                <Tex tex={INLINE.gapXgradcam} />
              </td>
              <td>
                Yes, wherever <Tex tex={INLINE.Sk} /> is not 0; after a ReLU,{' '}
                <Tex tex={INLINE.SkZero} /> means an all-zero map, which adds nothing anyway.
              </td>
            </tr>
            <tr>
              <th scope="row">LayerCAM</th>
              <td>
                <Tex tex={INLINE.gapLayercam} />
              </td>
              <td>No: it drops the channels whose class weight is negative.</td>
            </tr>
            <tr>
              <th scope="row">Grad-CAM++</th>
              <td>
                <Tex tex={INLINE.gapGradcampp} />
              </td>
              <td>No: it drops negative channels and down-weights channels with large totals.</td>
            </tr>
            <tr>
              <th scope="row">Eigen-CAM, Score-CAM</th>
              <td>
                <Tex tex={INLINE.gapFree} />
              </td>
              <td>No: they do not use gradients.</td>
            </tr>
          </tbody>
        </table>
      </ScrollBox>
      <Tex display tex={TEX.gapGradcam} />
      <p>
        Dividing by the maximum removes the common factor, so Grad-CAM, HiResCAM and XGrad-CAM give
        identical maps, not merely similar ones, and so do their counterfactuals (a negated constant
        is still a constant). The weights agree with CAM&rsquo;s up to a constant, as the Grad-CAM
        paper shows (§3.1); the map is the positive part of CAM&rsquo;s. This is how Grad-CAM
        generalises CAM.
        {gapModels.length > 0 && (
          <> Here it holds for the default layers of {nameList(gapModels)}.</>
        )}
        {denseModels.length > 0 && (
          <>
            {' '}
            It does not hold for {nameList(denseModels)}, whose last convolution feeds max pooling
            and dense layers, so the gradient varies with position.
          </>
        )}{' '}
        Nor does it hold at any earlier layer: choose one and the three maps separate, which shows
        what the averaging in Grad-CAM throws away.
      </p>
    </Section>
  );
}

function nameList(models: readonly ModelSpec[]): string {
  const names = models.map((m) => m.name);
  return names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** One method's subsection; exported for tests (unknown ids get no formula and no note). */
export function MethodEntry({ info }: { info: CamMethod }) {
  const note = METHOD_NOTES[info.id];
  const formulas = METHOD_TEX[info.id] ?? [];
  const anchor = methodAnchor(info.id);
  return (
    <section className="learn-method" aria-labelledby={anchor}>
      <h4 id={anchor} tabIndex={-1}>
        {info.name}
      </h4>
      <p className="learn-method-summary">{info.summary}</p>
      <p className="learn-badges">
        <span className="learn-badge">{KIND_LABELS[info.kind] ?? info.kind}</span>
        <span className="learn-badge">
          {info.supportsCounterfactual ? 'has a counterfactual' : 'no counterfactual'}
        </span>
      </p>
      {formulas.map((tex) => (
        <Tex key={tex} display tex={tex} />
      ))}
      {note && <p>{note.text}</p>}
      <p className="learn-citation">
        Source:{' '}
        {note ? (
          <InternalLink to={refAnchor(note.refId)}>{info.citation}</InternalLink>
        ) : (
          info.citation
        )}
      </p>
    </section>
  );
}
