// Learn more: the limits of Grad-CAM: one image, its own scale, coarse, layer-dependent, about the
// model, saturating gradients, sanity checks, what faithfulness metrics can tell.
import { MODELS } from '@gradcam-explorer/core/pure';
import { Cite, LEARN_LOCAL_ID } from '../links.js';
import { modelNote } from '../notes.js';
import { Section } from '../section.js';

export function LimitsSection() {
  const sized = MODELS.filter((m) => modelNote(m));
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
        their probabilities and logits, not by the colours. The colorbar shows the raw maximum each
        map was divided by, and the shared scale draws maps shown together on one scale.
      </p>
      <p>
        <strong>Coarse resolution.</strong> The map has one cell per position of the layer:{' '}
        {sized.map((m, i) => {
          const n = modelNote(m)!;
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
