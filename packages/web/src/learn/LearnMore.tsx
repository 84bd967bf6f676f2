// The "Learn more" panel: what Grad-CAM computes, its counterfactual, the other methods, the
// architectures, limits, faithfulness metrics and references. Architectures come from core's MODELS
// and methods from core's CAM_METHODS, so a new model or method appears here without editing this
// file. They are read from `virtual:gradcam-meta` (vite.config.ts), the plain-data copy generated
// from the registries at build time, so the main thread does not bundle TensorFlow.js.
import { useEffect, useRef } from 'react';
import type { ReactNode } from 'react';
import { CAM_METHODS, MODELS } from 'virtual:gradcam-meta';
import type { ModelMeta } from 'virtual:gradcam-meta';
import 'katex/dist/katex.min.css';
import './learn.css';
import { INLINE, METHOD_TEX, TEX } from './formulas.js';
import { Cite, ExternalLink, InternalLink, LEARN_LOCAL_ID } from './links.js';
import { EXTRA_METHODS, KIND_LABELS, METHOD_NOTES, MODEL_NOTES } from './notes.js';
import type { MethodInfo } from './notes.js';
import { REFERENCE_GROUPS, refAnchor } from './references.js';
import { Tex } from './Tex.js';

/** Id of the panel's title, for a surrounding dialog's `aria-labelledby`. */
export const LEARN_MORE_TITLE_ID = 'learn-more-title';

export const LEARN_SECTIONS = [
  { id: 'learn-gradcam', title: 'What Grad-CAM computes' },
  { id: 'learn-counterfactual', title: 'The counterfactual map' },
  { id: 'learn-methods', title: 'The family of methods' },
  { id: 'learn-architectures', title: 'The architectures' },
  { id: 'learn-limits', title: 'Limits of Grad-CAM' },
  { id: 'learn-faithfulness', title: 'Faithfulness' },
  { id: 'learn-references', title: 'References' },
] as const;

type SectionId = (typeof LEARN_SECTIONS)[number]['id'];

const sectionTitle = (id: SectionId) => LEARN_SECTIONS.find((s) => s.id === id)!.title;

export const methodAnchor = (id: string) => `learn-method-${id.replace(/[^a-z0-9-]/gi, '-')}`;
export const modelAnchor = (id: string) => `learn-model-${id.replace(/[^a-z0-9-]/gi, '-')}`;

/** Registered methods in registry order, then the extra ones the panel explains, unless registered. */
export function methodsToExplain(): { info: MethodInfo; registered: boolean }[] {
  const registered = CAM_METHODS.map((info): { info: MethodInfo; registered: boolean } => ({
    info,
    registered: true,
  }));
  const ids = new Set(CAM_METHODS.map((m) => m.id));
  const extra = EXTRA_METHODS.filter((m) => !ids.has(m.id)).map((info) => ({
    info,
    registered: false,
  }));
  return [...registered, ...extra];
}

const numberFormat = new Intl.NumberFormat('en-US');
const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
const millions = (n: number) => `${(n / 1e6).toFixed(1)} M`;

function Section({ id, children }: { id: SectionId; children: ReactNode }) {
  return (
    <section className="learn-section" aria-labelledby={id}>
      <h3 id={id} tabIndex={-1}>
        {sectionTitle(id)}
      </h3>
      {children}
    </section>
  );
}

function SectionLink({ id }: { id: SectionId }) {
  return <InternalLink to={id}>{sectionTitle(id)}</InternalLink>;
}

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

function GradCamSection() {
  return (
    <Section id="learn-gradcam">
      <p>
        A convolutional network turns the image into stacks of feature maps, each recording where a
        learned pattern occurs. For one class <Tex tex={INLINE.c} />, Grad-CAM asks which positions
        of one layer hold features that push the class score up. It needs one forward pass and one
        backward pass.
      </p>
      <ol className="learn-steps">
        <li>
          <p>
            <strong>Feature maps.</strong> The chosen layer outputs <Tex tex={INLINE.K} /> feature
            maps <Tex tex={INLINE.Ak} /> of <Tex tex={INLINE.uv} /> positions (7×7×2048 for
            ResNet50&rsquo;s last block).
          </p>
          <Tex display tex={TEX.featureMaps} />
        </li>
        <li>
          <p>
            <strong>Gradient of the class score.</strong> <Tex tex={INLINE.yc} /> is the score of
            class <Tex tex={INLINE.c} /> before the softmax (its logit). Backpropagation gives, for
            every channel and position, how fast <Tex tex={INLINE.yc} /> would change if{' '}
            <Tex tex={INLINE.Akij} /> grew a little. The logit is used because the softmax couples
            all classes and saturates: a probability close to 1 has almost no gradient.
          </p>
          <Tex display tex={TEX.gradient} />
        </li>
        <li>
          <p>
            <strong>Channel weights</strong> (eq. 1). Averaging the gradient over the{' '}
            <Tex tex={INLINE.Z} /> positions gives one number per channel,{' '}
            <Tex tex={INLINE.alpha} />: how much feature map <Tex tex={INLINE.Ak} /> matters for
            class <Tex tex={INLINE.c} /> overall.
          </p>
          <Tex display tex={TEX.weights} />
        </li>
        <li>
          <p>
            <strong>Weighted sum and ReLU</strong> (eq. 2). The feature maps are added up with these
            weights, and <Tex tex={INLINE.relu} /> keeps the positive part.
          </p>
          <Tex display tex={TEX.map} />
        </li>
        <li>
          <p>
            <strong>Normalisation.</strong> The map is divided by its maximum. The colour scale is
            therefore relative: the hottest cell is always 1, even when the evidence is weak, and
            colours cannot be compared between images or classes.
          </p>
          <Tex display tex={TEX.normalise} />
        </li>
        <li>
          <p>
            <strong>Upsampling.</strong> The small map is resized bilinearly to the image (
            <Tex tex={INLINE.HW} />) and overlaid in colour. Upsampling smooths the map; it adds no
            detail.
          </p>
          <Tex display tex={TEX.upsample} />
        </li>
      </ol>
      <h4>Why the last convolutional layer?</h4>
      <p>
        Early layers respond to edges and textures shared by many classes; they have fine spatial
        detail but little meaning. Deeper layers respond to parts and objects and are more
        class-specific, on a coarser grid. The last convolutional layer is the deepest one that
        still has a spatial layout: after it, pooling or flattening into dense layers mixes
        positions. It is the compromise between semantics and spatial detail. You may choose an
        earlier layer: the map gets finer but noisier and less specific to the class.
      </p>
      <h4>Why the ReLU?</h4>
      <p>
        A negative value of <Tex tex={String.raw`\sum_k \alpha_k^c A^k`} /> marks a position whose
        features lower the class score. The authors say such positions are &ldquo;likely to belong
        to other categories&rdquo;; that is a guess, not a measurement: a lower{' '}
        <Tex tex={INLINE.yc} /> is not evidence for any other class. Grad-CAM keeps only the
        features with a positive influence on <Tex tex={INLINE.yc} />; the authors report that
        without the ReLU the maps sometimes highlight more than the class and localise it worse. The
        discarded negative part is not lost: it is the counterfactual map of the next section.
      </p>
      <p>
        For networks whose last convolutional layer feeds global average pooling and one dense
        layer, Grad-CAM&rsquo;s weights are CAM&rsquo;s (<Cite id="zhou2016" />) up to a constant
        factor. The maps still differ by a ReLU: CAM keeps negative values, Grad-CAM drops them. See{' '}
        <InternalLink to="learn-coincide">when methods coincide</InternalLink>.
      </p>
    </Section>
  );
}

function CounterfactualSection() {
  const noCounterfactual = CAM_METHODS.filter((m) => !m.supportsCounterfactual);
  return (
    <Section id="learn-counterfactual">
      <p>
        Negating the gradients (<Cite id="selvaraju2020" />, §3.3 &ldquo;Counterfactual
        Explanations&rdquo;) reverses the question: which regions, if their features were weakened,
        would <em>raise</em> the score of class <Tex tex={INLINE.c} />? These regions hold evidence
        against the class, often another object: the dog when the question is &ldquo;cat&rdquo;.
      </p>
      <Tex display tex={TEX.counterfactualWeights} />
      <Tex display tex={TEX.counterfactualMap} />
      <p>
        For Grad-CAM the counterfactual is exactly the negative part that the ReLU removed from the
        ordinary map, so the two maps never light up the same cell. The same holds for HiResCAM and
        XGrad-CAM, whose weights are also linear in the gradient. For Grad-CAM++ and LayerCAM,
        negating the gradient selects different gradients altogether (they keep only positive ones),
        so the relation is looser.
        {noCounterfactual.length > 0 && (
          <>
            {' '}
            Methods that use no gradient ({noCounterfactual.map((m) => m.name).join(', ')}) have no
            counterfactual.
          </>
        )}
      </p>
      <h4>Hide these regions and predict again</h4>
      <p>
        Masking the counterfactual regions and running the network again is an experiment: if the
        map is right, the score of <Tex tex={INLINE.c} /> goes up, and the class may climb in the
        ranking. It tests the explanation on this model and this image, instead of trusting the
        picture. Its limits:
      </p>
      <ul>
        <li>
          The gradient describes small changes; hiding a region is a large one, so the effect need
          not follow the map.
        </li>
        <li>
          A masked image is unlike the training images. The network reacts to the mask&rsquo;s edges
          and colour too, and the result depends on the fill (grey, black, blur) and on the
          threshold that picks the regions.
        </li>
        <li>
          The map is coarse: one cell of a 7×7 map covers 32×32 pixels of a 224-pixel image, so
          hiding it also hides evidence you meant to keep.
        </li>
        <li>
          Features interact: hiding two regions does not add up the effects of hiding each one, and
          the network may find the same evidence elsewhere.
        </li>
        <li>
          The app reports the softmax probability and, beside it, the logit. The probability can
          rise only because other classes&rsquo; logits fell, and it saturates near 0 and 1, where
          large changes of the logit barely move it.
        </li>
        <li>One image shows what this model did here, not what it does in general.</li>
      </ul>
      <p>
        The same experiment on the ordinary map, hiding its hottest regions to see the score fall,
        is the idea behind the deletion curve (see <SectionLink id="learn-faithfulness" />
        ).
      </p>
    </Section>
  );
}

function MethodsSection() {
  const methods = methodsToExplain();
  const gapModels = MODELS.filter((m) => MODEL_NOTES[m.id]?.head === 'gap');
  const denseModels = MODELS.filter((m) => MODEL_NOTES[m.id]?.head === 'dense');
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
          {methods.map(({ info }) => (
            <li key={info.id}>
              <InternalLink to={methodAnchor(info.id)}>{info.name}</InternalLink>
            </li>
          ))}
          <li>
            <InternalLink to="learn-coincide">When methods coincide</InternalLink>
          </li>
        </ul>
      </nav>
      {methods.map(({ info, registered }) => (
        <MethodEntry key={info.id} info={info} registered={registered} />
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
      <div className="learn-table-wrap">
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
      </div>
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

function nameList(models: readonly ModelMeta[]): string {
  const names = models.map((m) => m.name);
  return names.length <= 1
    ? names.join('')
    : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/** One method's subsection; exported for tests (unknown ids get no formula and no note). */
export function MethodEntry({ info, registered }: { info: MethodInfo; registered: boolean }) {
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
        {registered && info.supportsCounterfactual !== undefined && (
          <span className="learn-badge">
            {info.supportsCounterfactual ? 'has a counterfactual' : 'no counterfactual'}
          </span>
        )}
        {!registered && (
          <span className="learn-badge">not in this version&rsquo;s method list</span>
        )}
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

function ArchitecturesSection() {
  return (
    <Section id="learn-architectures">
      <p>
        All {MODELS.length} networks are ImageNet classifiers (1000 classes) with the official Keras
        weights. Accuracies are the ImageNet validation figures documented by{' '}
        <Cite id="keras-applications" />; depth counts weight layers as usually counted for each
        architecture.
      </p>
      <div className="learn-table-wrap">
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
                <td>{MODEL_NOTES[m.id]?.mapSize ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {MODELS.map((m) => (
        <ModelEntry key={m.id} model={m} />
      ))}
    </Section>
  );
}

function ModelEntry({ model: m }: { model: ModelMeta }) {
  const note = MODEL_NOTES[m.id];
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

function LimitsSection() {
  const sized = MODELS.filter((m) => MODEL_NOTES[m.id]);
  return (
    <Section id="learn-limits">
      <p id={LEARN_LOCAL_ID} tabIndex={-1}>
        <strong>Local, first-order, one image.</strong> A gradient map linearises the network around
        this one photo: the weights are slopes of the class score at one layer, so the map says how
        the score would change for small changes of the features there, to first order. It is not a
        causal proof that the model &ldquo;used&rdquo; a region, and it is not the model&rsquo;s
        attention. One photo does not show how the model behaves in general. Gradient-free maps
        (Score-CAM, Eigen-CAM) are local too: they describe this photo only.
      </p>
      <p>
        <strong>Each map is scaled to its own maximum.</strong> The hottest cell is always full
        colour, so a class the model gives 0.2 % looks as hot as the top class. Compare classes by
        their probabilities and logits, not by the colours.
      </p>
      <p>
        <strong>Coarse resolution.</strong> The map has one cell per position of the layer:{' '}
        {sized.map((m, i) => {
          const n = MODEL_NOTES[m.id];
          return (
            <span key={m.id}>
              {i > 0 && (i === sized.length - 1 ? ' and ' : ', ')}
              {n.mapSize} for {m.name} ({m.inputSize} pixels, about {n.cellPixels} per cell)
            </span>
          );
        })}
        . Small objects and thin structures blur into blobs. Moreover each cell&rsquo;s receptive
        field is far larger than its patch: a hot cell says that the features stored there matter,
        which usually, not always, means the object is there.
      </p>
      <p>
        <strong>It depends on the layer.</strong> Each layer gives a different map and none is
        &ldquo;the&rdquo; explanation; the last convolutional layer is a convention. Earlier layers
        give finer, less class-specific maps.
      </p>
      <p>
        <strong>It explains the model, not the world.</strong> The map shows what raised this
        model&rsquo;s score, not what makes the object what it is. A confident, well-placed map on a
        wrong prediction is common, and a map can be drawn for any class, even one the model thinks
        absent. A map on the background (the sea behind a boat, a watermark in a corner) may
        indicate a shortcut the model learned, or legitimate context (boats are usually on water):
        worth checking on other images, and not evidence that the label is right.
      </p>
      <p>
        <strong>Gradients saturate and cancel.</strong> A gradient is a local slope. If a unit
        between the layer and the score is saturated (a ReLU switched off in a dense layer, a ReLU6
        at its cap deeper in MobileNetV2), a feature that matters gets a gradient near zero and is
        ignored; Score-CAM avoids gradients for this reason. Averaging over positions lets positive
        and negative gradients cancel; HiResCAM and Grad-CAM++ avoid the plain average. At the
        default layer of a network with global average pooling, the score is linear in the
        activations and these problems vanish; they return at earlier layers and in VGG16.
      </p>
      <p>
        <strong>Sanity checks.</strong> <Cite id="adebayo2018" /> ask whether a saliency map depends
        on the model at all: randomise the weights, from the top layer down, or retrain on shuffled
        labels, and see if the map changes. Plain gradients and Grad-CAM change, as they should.
        Guided backpropagation and guided Grad-CAM stay almost the same after the top layers are
        randomised: much of what they show is image structure such as edges, not the model&rsquo;s
        reasoning. A map that looks plausible is not evidence.
      </p>
      <p>
        <strong>What faithfulness metrics can and cannot tell.</strong> Deletion and insertion (
        <Cite id="petsiuk2018" />) test whether the map&rsquo;s ranking of regions predicts how this
        model reacts when those regions are removed or restored. They cannot tell whether the model
        is right, whether the map matches what a person would point to, or whether the model works
        this way on other images. The scores depend on how pixels are removed, and the modified
        images are unlike training images, so a map can score well by pointing at whatever the
        removal disturbs. Compare methods only on the same image, model, class and settings.
      </p>
    </Section>
  );
}

function FaithfulnessSection() {
  return (
    <Section id="learn-faithfulness">
      <p>
        A map is faithful if it ranks regions by how much the model actually relies on them.{' '}
        <Cite id="petsiuk2018" /> turn this into two curves. Both rank the pixels by the value of
        the upsampled map, change them step by step in that order, and run the network after each
        step. The horizontal axis is the fraction <Tex tex={INLINE.t} /> of pixels changed, the
        vertical axis the class probability <Tex tex={INLINE.pc} /> of the changed image{' '}
        <Tex tex={INLINE.xt} />.
      </p>
      <p>
        A probability is not the class&rsquo;s own score. It can rise because another class&rsquo;s
        logit falls, and it saturates: near 0 or 1, a large change of the logit{' '}
        <Tex tex={INLINE.yc} /> barely moves it. The app shows the logit beside the probability so
        you can tell these cases apart.
      </p>
      <h4>Deletion</h4>
      <p>
        Start from the image and replace the most important pixels first. If the map is faithful,
        the probability falls quickly: <strong>lower area under the curve is better</strong>.
      </p>
      <h4>Insertion</h4>
      <p>
        Start from an image with all pixels replaced and put the original pixels back, most
        important first. If the map is faithful, the probability rises quickly:{' '}
        <strong>higher area under the curve is better</strong>.
      </p>
      <p>
        What &ldquo;replaced&rdquo; means matters. The paper deletes to a constant and inserts onto
        a blurred copy; the app uses one baseline for both curves, a blurred copy of the image by
        default, or black.
      </p>
      <h4>Area under the curve</h4>
      <p>
        The area summarises a curve in one number between 0 and 1, computed with the trapezoid rule
        over the <Tex tex={INLINE.n} /> steps:
      </p>
      <Tex display tex={TEX.aucDefinition} />
      <h4>How to read them</h4>
      <ul>
        <li>
          Compare methods on the same image, class, model and baseline; a single number from one
          image is an anecdote.
        </li>
        <li>
          Look at the shape, not only the area: a steep start means the top-ranked regions carry the
          evidence; a slow decline means the evidence is spread out or the map ranked it poorly.
        </li>
        <li>A random ranking is the floor: a map worth its name does clearly better.</li>
        <li>
          Where the insertion curve starts and the deletion curve ends is the probability of the
          baseline image itself; only the part in between says something about the map.
        </li>
        <li>
          The map is upsampled bilinearly, so it is smooth, but where it is 0 (everything the ReLU
          removed) all pixels tie, and ties are broken by position, that is, arbitrarily.
        </li>
        <li>
          Deletion can drop fast for the wrong reason: the replaced patches create edges the network
          never saw. A blurred baseline creates fewer of them than black.
        </li>
      </ul>
      <h4>Confidence drop</h4>
      <p>
        A one-pass test from <Cite id="pytorch-grad-cam" />: multiply the preprocessed image by the
        upsampled map, which keeps the highlighted regions and fades the rest, and run the model
        once more. <code>DropInConfidence</code> is how much the class score <Tex tex={INLINE.sc} />{' '}
        fell (0 if it rose); <code>IncreaseInConfidence</code> is 1 if it rose. Smaller drops are
        better.
      </p>
      <Tex display tex={TEX.confidenceDrop} />
      <p>
        These follow the Average Drop and Increase in Confidence of <Cite id="chattopadhay2018" />,
        which divide the drop of the class probability by its value before and average over{' '}
        <Tex tex={String.raw`N`} /> images. The app computes them for the current image (
        <Tex tex={INLINE.N1} />
        ): the probability before and after, the drop in percent, and whether confidence increased.
      </p>
      <Tex display tex={TEX.averageDrop} />
      <p>
        Faded pixels tend to 0 in the network&rsquo;s input space: the mean colour for networks with
        Caffe-style preprocessing (VGG16, ResNet50) and mid-grey for those scaled to [−1, 1]
        (MobileNetV2, Xception). A map that covers the whole image never drops at all, so read the
        confidence drop together with how much of the image the map keeps, or with the deletion
        curve.
      </p>
    </Section>
  );
}

function ReferencesSection() {
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
