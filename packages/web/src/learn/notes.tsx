// Explanations written for the panel, keyed by method id and model id. Facts about methods (name,
// summary, citation, kind) and models (year, depth, accuracy, paper, default layer) come from the core
// registries (`@gradcam-explorer/core/pure`); these notes only explain. An id without a note is still
// listed, without the note.
import type { ReactNode } from 'react';
import type { CamMethod, FamilyName, ModelSpec } from '@gradcam-explorer/core/pure';
import { INLINE } from './formulas.js';
import { Cite } from './links.js';
import { Tex } from './Tex.js';

export interface MethodNote {
  /** Reference id (references.ts) the method's citation links to. */
  refId: string;
  text: ReactNode;
}

export const METHOD_NOTES: Readonly<Record<string, MethodNote>> = {
  gradcam: {
    refId: 'selvaraju2020',
    text: (
      <>
        The reference method: one number per channel, the average gradient, then a weighted sum of
        the feature maps. One backward pass, class-discriminative, as fine as the layer and no
        finer. Averaging lets positive and negative gradients of the same channel cancel out.
      </>
    ),
  },
  'gradcam++': {
    refId: 'chattopadhay2018',
    text: (
      <>
        Meant for images with several instances of the class, where Grad-CAM tends to favour the
        strongest one. Only positive gradients count, each weighted by a coefficient{' '}
        <Tex tex={String.raw`a^{kc}_{ij}`} /> derived from higher-order derivatives of the
        exponential of the score; for ReLU networks these reduce to powers of the gradient (eq. 19).
        The app uses eq. 19 without the small constant some libraries add to the denominator, which
        would swamp tiny gradients. The advantage is disputed: <Cite id="lerma2022" /> find that the
        coefficients are nearly constant, so Grad-CAM++ is practically Grad-CAM computed with the
        positive gradients only.
      </>
    ),
  },
  xgradcam: {
    refId: 'fu2020',
    text: (
      <>
        Weights each gradient by that position&rsquo;s share of the channel&rsquo;s total activation{' '}
        <Tex tex={INLINE.Sk} />. It is derived from two axioms: sensitivity (removing a feature map
        changes the score by that map&rsquo;s contribution) and conservation (the contributions add
        up to the score). Both hold exactly when the layer feeds global average pooling and a linear
        classifier (up to its bias), approximately elsewhere.
      </>
    ),
  },
  hirescam: {
    refId: 'draelos2020',
    text: (
      <>
        Skips the averaging: gradient times activation at each position, summed over channels.
        Draelos and Carin show that averaging can make Grad-CAM highlight positions the model did
        not use. Their guarantee is for a last convolutional layer that feeds one dense layer: the
        score is then linear in the layer, and HiResCAM&rsquo;s value at a position is exactly that
        position&rsquo;s contribution to the score. Behind global average pooling the gradient is
        the same at every position and HiResCAM equals Grad-CAM, so it has no advantage there; it
        differs only where the gradient varies with position (see below).
      </>
    ),
  },
  layercam: {
    refId: 'jiang2021',
    text: (
      <>
        Keeps only positive gradients, position by position, as weights for the activations there.
        Because every position has its own weight, LayerCAM still gives usable maps at earlier,
        finer layers, where Grad-CAM&rsquo;s maps (one weight per channel) are noisy and less
        semantic; the paper fuses maps from several layers.
      </>
    ),
  },
  eigencam: {
    refId: 'muhammad2020',
    text: (
      <>
        Uses neither gradients nor the class: it centres the activations (one row per position, one
        column per channel) and projects every position on their first principal component. It shows
        what the layer responds to most strongly, with the same map for every class, so it cannot
        say why the network chose one class over another, and it has no counterfactual. A principal
        component&rsquo;s sign is arbitrary; the app takes the one that agrees with the summed
        activations.
      </>
    ),
  },
  scorecam: {
    refId: 'wang2020',
    text: (
      <>
        Replaces gradients by forward passes. Each feature map, upsampled and rescaled to [0, 1],
        masks the image, and the class score of the masked image decides the channel&rsquo;s weight.
        No gradient noise or saturation, but one forward pass per channel (512 to 2048 channels
        here), so it is slow. By default the app scores only the channels whose activations vary
        most over positions, as <Cite id="faster-scorecam" /> does (and <Cite id="tf-keras-vis" />{' '}
        with <code>max_N</code>), and gives the others weight 0; <Cite id="pytorch-grad-cam" />{' '}
        scores every channel. The weights are the paper&rsquo;s (Algorithm 1, §3.2): the class logit
        of each masked image minus that of a baseline image, then a softmax over channels. The
        baseline&rsquo;s logit is the same for every channel, so it cancels in the softmax, and the
        app skips that forward pass. <Cite id="scorecam-code">The authors&rsquo; code</Cite> differs
        from the paper: it weights each channel by the class&rsquo;s softmax probability for the
        masked image.
      </>
    ),
  },
  'guided-backprop': {
    refId: 'springenberg2015',
    text: (
      <>
        Not a class activation map: the gradient of <Tex tex={INLINE.yc} /> with respect to the
        input pixels, where every ReLU passes a gradient back only if its forward input was positive
        and the gradient arriving from above is positive. The result is a sharp, full-resolution
        picture of edges and textures, but it is weakly class-specific and barely changes when the
        model&rsquo;s top layers are randomised (<Cite id="adebayo2018" />
        ). Because the rule is not the true gradient, its sign does not tell whether changing a
        pixel would raise or lower the score.
      </>
    ),
  },
  'guided-gradcam': {
    refId: 'selvaraju2020',
    text: (
      <>
        Guided backpropagation multiplied, pixel by pixel, by the upsampled Grad-CAM map: fine
        detail restricted to the regions Grad-CAM finds relevant to the class. Proposed in the
        Grad-CAM paper; it inherits guided backpropagation&rsquo;s weak dependence on the
        model&rsquo;s parameters.
      </>
    ),
  },
};

export const KIND_LABELS: Readonly<Record<CamMethod['kind'], string>> = {
  gradient: 'uses gradients',
  'gradient-free': 'gradient-free',
  saliency: 'pixel-level saliency, not a layer map',
};

export interface ModelNote {
  /** Grad-CAM map size at the default layer for the model's input size, e.g. "7×7". */
  mapSize: string;
  /** Input pixels per map cell, roughly. */
  cellPixels: number;
  /** Head after the default layer: global average pooling + one dense layer, or dense layers. */
  head: 'gap' | 'dense';
  why: ReactNode;
}

/** Notes per architecture family (a new network of a known family needs none of its own). */
const FAMILY_NOTES: Readonly<Record<FamilyName, ModelNote>> = {
  vgg: {
    mapSize: '14×14',
    cellPixels: 16,
    head: 'dense',
    why: (
      <>
        The last convolution; its ReLU is part of the layer, so the maps are already non-negative.
        The next layer, <code>block5_pool</code>, halves the grid to 7×7, and after it the features
        are flattened into three dense layers, where position is lost. It is the layer the Grad-CAM
        paper uses for VGG16 (for VGG19, the same layer one convolution deeper). Its gradient is not
        uniform: max pooling sends it only to the position that wins each 2×2 window, and the dense
        layers weight every position differently.
      </>
    ),
  },
  resnet: {
    mapSize: '7×7',
    cellPixels: 32,
    head: 'gap',
    why: (
      <>
        The output of the last residual block, after the shortcut has been added and the final ReLU
        applied: exactly what global average pooling sees. The last convolution (in ResNet50,{' '}
        <code>conv5_block3_3_conv</code>) would miss the shortcut branch and give values before
        batch normalisation and ReLU.
      </>
    ),
  },
  mobilenet_v2: {
    mapSize: '7×7',
    cellPixels: 32,
    head: 'gap',
    why: (
      <>
        The ReLU6 after the last 1×1 convolution (<code>Conv_1</code>, 1280 channels) and its batch
        normalisation: the features that global average pooling averages. <code>Conv_1</code> itself
        outputs signed values before normalisation and activation; weighting them mixes in
        contributions the classifier never sees, and the gradient there is masked wherever ReLU6
        clips, so it is no longer the same at every position.
      </>
    ),
  },
  xception: {
    mapSize: '10×10',
    cellPixels: 30,
    head: 'gap',
    why: (
      <>
        The ReLU after the last separable convolution and its batch normalisation (2048 channels),
        the input of global average pooling. It is also the layer used in{' '}
        <Cite id="chollet-keras">Keras&rsquo; Grad-CAM example</Cite>.
      </>
    ),
  },
};

/** The note for a network: its family's. */
export const modelNote = (m: Pick<ModelSpec, 'family'>): ModelNote | undefined =>
  FAMILY_NOTES[m.family.name];
