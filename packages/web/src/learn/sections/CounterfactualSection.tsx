// Learn more: the counterfactual map, and how "hide and predict again" tests it.
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { INLINE, TEX } from '../formulas.js';
import { Cite } from '../links.js';
import { Section, SectionLink } from '../section.js';
import { Tex } from '../Tex.js';

export function CounterfactualSection() {
  const noCounterfactual = CAM_METHODS.filter((m) => !m.supportsCounterfactual);
  return (
    <Section id="learn-counterfactual">
      <p>
        Negating the gradients (<Cite id="selvaraju2020" />, §3.3 &ldquo;Counterfactual
        Explanations&rdquo;) reverses the question: which regions, if their features were weakened,
        would <em>raise</em> the score of class <Tex tex={INLINE.c} />? These regions hold evidence
        against the class. Sometimes that is another object, sometimes not. On the dog-and-cat
        sample with MobileNetV2, the counterfactual of &ldquo;bull mastiff&rdquo; marks the cat; the
        counterfactual of &ldquo;tiger cat&rdquo; marks the window frame and the edge of the wooden
        door, not the dog, and it is weak: its strongest cell is 0.0125, about 3.5 % of the 0.36 of
        the evidence for the cat.
      </p>
      <p>
        Like every map here, a counterfactual map is divided by its own maximum, so a weak one looks
        as hot as a strong one. The colorbar shows the raw maximum; the page says when a map is
        below 5 % of the opposite map of the same class (the evidence for it, for a counterfactual
        map), and the shared scale draws both on one scale.
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
        The experiment can go the wrong way. On the dog-and-cat sample with MobileNetV2, hiding the
        regions of the weak &ldquo;tiger cat&rdquo; counterfactual above half its maximum lowers the
        probability of &ldquo;tiger cat&rdquo; (from 4.0 % to 2.4 %) and its logit too: the map is
        not confirmed there. Hiding the regions of the &ldquo;bull mastiff&rdquo; counterfactual,
        the cat, raises the probability of &ldquo;bull mastiff&rdquo; from 57.0 % to 89.6 %.
      </p>
      <p>
        The same experiment on the ordinary map, hiding its hottest regions to see the score fall,
        is the idea behind the deletion curve (see <SectionLink id="learn-faithfulness" />
        ).
      </p>
    </Section>
  );
}
