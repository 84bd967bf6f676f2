// Learn more: what Grad-CAM computes, step by step, and why it keeps only the positive part.
import { INLINE, TEX } from '../formulas.js';
import { Cite, InternalLink } from '../links.js';
import { Section } from '../section.js';
import { Tex } from '../Tex.js';

export function GradCamSection() {
  return (
    <Section id="learn-gradcam">
      <p>
        A convolutional network turns the image into stacks of feature maps, each recording where a
        learned pattern occurs. For one class <Tex tex={INLINE.c} />, Grad-CAM asks which positions
        of one layer hold features that push the class score up. It needs one forward pass and one
        backward pass. &ldquo;How was this computed?&rdquo;, beside the heatmap, shows each of these
        steps on your photo, with its numbers.
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
            colours cannot be compared between images or classes. The colorbar shows the maximum it
            was divided by.
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
