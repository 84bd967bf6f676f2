// The methods the sanity check runs by default (plain data, for pickers and the CLI's default).

/** Adebayo et al.'s contrast: Grad-CAM, which depends on the network, and guided backpropagation. */
export const SANITY_METHODS: readonly string[] = Object.freeze(['gradcam', 'guided-backprop']);
