// Learn more: faithfulness metrics: deletion and insertion curves, their areas, how to read them,
// and the confidence drop.
import { MODELS, type Preprocessing } from '@gradcam-explorer/core/pure';
import { INLINE, TEX } from '../formulas.js';
import { Cite } from '../links.js';
import { Section } from '../section.js';
import { Tex } from '../Tex.js';

export function FaithfulnessSection() {
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
        Caffe-style preprocessing ({namesWith('caffe')}) and mid-grey for those scaled to [−1, 1] (
        {namesWith('tf')}). A map that covers the whole image never drops at all, so read the
        confidence drop together with how much of the image the map keeps, or with the deletion
        curve.
      </p>
    </Section>
  );
}

/** The registry's networks with this preprocessing, e.g. "VGG16, VGG19, ResNet50". */
const namesWith = (p: Preprocessing) =>
  MODELS.filter((m) => m.preprocessing === p)
    .map((m) => m.name)
    .join(', ');
