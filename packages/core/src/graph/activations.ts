import * as tf from '@tensorflow/tfjs-core';

type CustomGradientFunc<T extends tf.Tensor> = Parameters<typeof tf.customGrad<T>>[0];

export interface OpOptions {
  guided: boolean;
}

/** ReLU (optionally capped) whose gradient is guided: dy * 1[x > 0] * 1[dy > 0]. */
export function guidedRelu(x: tf.Tensor, maxValue?: number): tf.Tensor {
  const f = tf.customGrad(((input: tf.Tensor, save: tf.GradSaveFunc) => {
    save([input]);
    const value = maxValue === undefined ? tf.relu(input) : tf.clipByValue(input, 0, maxValue);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xIn] = saved;
        // dy 1[dy > 0] = relu(dy); 1[0 < x < max] = step(x (max - x)) (one pass fewer than two
        // steps; the wasm Less kernel is several times slower than Step).
        const open = maxValue === undefined ? xIn : tf.mul(xIn, tf.sub(maxValue, xIn));
        return tf.mul(tf.relu(dy), tf.step(open));
      },
    };
  }) as unknown as CustomGradientFunc<tf.Tensor>);
  return f(x);
}

/** ELU, Keras `activations.elu`: x for x > 0, alpha (e^x - 1) otherwise. */
export function elu(x: tf.Tensor, alpha = 1): tf.Tensor {
  return alpha === 1 ? tf.elu(x) : tf.where(tf.greater(x, 0), x, tf.mul(alpha, tf.expm1(x)));
}

/**
 * Keras activations by name (tfjs-layers' `getClassName()` names). Guided backpropagation changes
 * ReLU gradients only, as pytorch-grad-cam does; other activations keep their own gradient.
 */
export function applyActivation(x: tf.Tensor, name: string, opts: OpOptions): tf.Tensor {
  switch (name) {
    case 'linear':
      return x;
    case 'relu':
      return opts.guided ? guidedRelu(x) : tf.relu(x);
    case 'relu6':
      return opts.guided ? guidedRelu(x, 6) : tf.clipByValue(x, 0, 6);
    case 'softmax':
      return tf.softmax(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'elu':
      return elu(x);
    case 'selu':
      return tf.selu(x);
    case 'softplus':
      return tf.softplus(x);
    case 'swish': // Keras `silu` / `swish`: x sigmoid(x)
      return tf.mul(x, tf.sigmoid(x));
    case 'gelu': // Keras `gelu(approximate=False)`: x Phi(x) = x (1 + erf(x / sqrt 2)) / 2
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.erf(tf.div(x, Math.SQRT2))));
    case 'gelu_new': {
      // Keras `gelu(approximate=True)`: x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) / 2
      const inner = tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))));
      return tf.mul(tf.mul(x, 0.5), tf.add(1, tf.tanh(inner)));
    }
    default:
      throw new Error(`Unsupported activation "${name}"`);
  }
}
