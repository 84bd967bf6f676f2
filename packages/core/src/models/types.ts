// Plain-data descriptions of the networks (no TensorFlow.js here, not even its types): the registry
// and every file it imports load in a UI thread that never loads TensorFlow.js.

/**
 * Keras' `imagenet_utils.preprocess_input` modes.
 * - `caffe`: RGB -> BGR, then subtract the ImageNet channel means (no scaling).
 * - `tf`: x / 127.5 - 1.
 */
export type Preprocessing = 'caffe' | 'tf';

/** An official Keras ImageNet weights file, as named and published in Keras' source. */
export interface OfficialWeights {
  /** File name used by Keras' `get_file` (also the cache file name). */
  fileName: string;
  /** Download URL from Keras' source. */
  url: string;
  /** Published hash from Keras' source, or null where Keras publishes none. */
  hash: { algorithm: 'md5' | 'sha256'; value: string } | null;
  /** Size in bytes of the official file (for progress estimates before the server says). */
  bytes: number;
}

/** Published facts shown to learners (UI "Learn more", CLI `models`). */
export interface ModelFacts {
  /** Year the architecture appeared (its preprint); the paper's own year is `paper.year`. */
  year: number;
  /** Weighted layers as usually counted (e.g. 16 for VGG16, 50 for ResNet50). */
  depth: number;
  /** Keras' documented ImageNet validation accuracy, in [0, 1]. */
  top1: number;
  top5: number;
  /** The peer-reviewed paper; `year` is the venue's year (used in reference lists). */
  paper: { title: string; authors: string; venue: string; year: number; url: string };
}

/**
 * Keras' `VGG16`/`VGG19`: five blocks of 3x3 ReLU convolutions (64, 128, 256, 512, 512 filters),
 * each ending in 2x2 max pooling, then Flatten and three dense layers.
 */
export interface VggFamily {
  name: 'vgg';
  /** Convolutions in each of the five blocks: [2, 2, 3, 3, 3] for VGG16, [2, 2, 4, 4, 4] for VGG19. */
  convsPerBlock: readonly [number, number, number, number, number];
}

/**
 * Keras' `ResNet(stack_fn)` (v1, bottleneck blocks): a 7x7 stem, then stacks conv2..conv5 of
 * bottleneck blocks (widths 64, 128, 256, 512), global average pooling and one dense layer.
 */
export interface ResNetFamily {
  name: 'resnet';
  /** Residual blocks in stacks conv2..conv5, e.g. [3, 4, 6, 3] for ResNet50. */
  blocksPerStack: readonly [number, number, number, number];
}

/** Keras' `MobileNetV2` with alpha 1.0 at 224x224 (the only size with include_top weights used here). */
export interface MobileNetV2Family {
  name: 'mobilenet_v2';
}

/** Keras' `Xception`. */
export interface XceptionFamily {
  name: 'xception';
}

/** The family a network belongs to, with the family builder's configuration for it. */
export type FamilyConfig = VggFamily | ResNetFamily | MobileNetV2Family | XceptionFamily;

export type FamilyName = FamilyConfig['name'];

/**
 * One network: what the UI and CLI show, its official weights, and how its family builds it
 * (`buildModel(spec)` in models/build.ts).
 */
export interface ModelSpec {
  id: string;
  /** Display name, e.g. "MobileNetV2". */
  name: string;
  /** Square input side in pixels (224; Xception 299). */
  inputSize: number;
  preprocessing: Preprocessing;
  /** Default Grad-CAM target layer (Keras layer name). */
  defaultLayer: string;
  /** Exact Keras parameter count with include_top and 1000 classes. */
  parameters: number;
  /** One line for pickers. */
  summary: string;
  /** One paragraph with facts. */
  description: string;
  facts: ModelFacts;
  weights: OfficialWeights;
  /** The family builder and its configuration for this network. */
  family: FamilyConfig;
}
