/**
 * A user model that cannot be loaded, with a message for people: what is wrong, where (file,
 * layer, class) and what they can do. Never a stack trace.
 */
export class UserModelError extends Error {
  constructor(
    message: string,
    /** The file the problem is in, when one is. */
    readonly file?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'UserModelError';
  }
}

/** An unsupported layer: its path, class, and the way out. */
export function unsupportedLayer(name: string, className: string, why?: string): UserModelError {
  const what =
    className === 'Lambda' || className === 'TFOpLambda' || className === 'SlicingOpLambda'
      ? 'runs Python code that is not saved in the file'
      : (why ?? 'is not a layer class this app knows (a custom layer or a rare Keras layer)');
  return new UserModelError(
    `Layer "${name}" (class ${className}) ${what}, so the model cannot run here. ` +
      'What you can do: rebuild the model without it (e.g. replace a Lambda that scales the input ' +
      'by a Rescaling layer, or do that step before calling the model), save it again and load the ' +
      'new file. Supported layers: convolutions, Dense, BatchNormalization, pooling, Flatten, ' +
      'Dropout, Reshape, Add/Concatenate/Multiply, activations, padding/cropping, ' +
      'Rescaling/Normalization/Resizing and augmentation layers.',
  );
}
