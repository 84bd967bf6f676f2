import type * as tfl from '@tensorflow/tfjs-layers';

/** Architecture ids used everywhere (registry, CLI, UI, tests). */
export type ModelId = 'vgg16' | 'resnet50' | 'mobilenet_v2' | 'xception';

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

export interface ModelSpec {
  id: ModelId;
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
  /** Builds the uninitialised-weights tfjs-layers model, same layer names as Keras. */
  build(): tfl.LayersModel;
}
