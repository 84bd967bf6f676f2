// Which architecture a Keras weights file belongs to, from its layer names (current Keras names
// and the legacy keras-applications ones), so a wrong file gets a message that names both sides.

/** Distinctive layer names per architecture id (first match wins; Xception before VGG16). */
const SIGNATURES: ReadonlyArray<readonly [string, RegExp]> = [
  ['xception', /^block\d+_sepconv\d/],
  ['mobilenet_v2', /^(block_\d+_(expand|depthwise|project)|Conv1|bn_Conv1|expanded_conv_)/],
  ['resnet50', /^(conv\d_block\d+_\d_(conv|bn)|res\d[a-f]_branch|bn\d[a-f]_branch|fc1000$)/],
  ['vgg16', /^(block5_conv3|fc1|fc2)$/],
];

/** The architecture id whose signature layers the file has, or null when none fits. */
export function guessArchitecture(layerNames: readonly string[]): string | null {
  for (const [id, re] of SIGNATURES) {
    if (layerNames.some((n) => re.test(n))) return id;
  }
  return null;
}
