import { describe, expect, it } from 'vitest';
import { checkHeader, fitWithin, ImageInputError, isWeightsFile, MAX_PIXELS } from './image-input';

/** A PNG signature and IHDR chunk claiming `w x h` (CRC not checked by header readers). */
function pngHeader(w: number, h: number): Uint8Array {
  const b = new Uint8Array(33);
  b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
  const v = new DataView(b.buffer);
  v.setUint32(16, w);
  v.setUint32(20, h);
  b.set([8, 6, 0, 0, 0], 24);
  return b;
}

describe('checkHeader', () => {
  it('reads the size of a valid header', () => {
    expect(checkHeader('a.png', pngHeader(640, 480), 1000)).toEqual({
      width: 640,
      height: 480,
      type: 'png',
    });
  });

  it('refuses empty files, non-images and images over the pixel limit, naming the file', () => {
    expect(() => checkHeader('empty.jpg', new Uint8Array(0), 0)).toThrow(/"empty.jpg" is empty/);
    const text = new TextEncoder().encode('this is not a JPEG at all, just text\n');
    expect(() => checkHeader('notes.jpg', text, text.length)).toThrow(ImageInputError);
    expect(() => checkHeader('notes.jpg', text, text.length)).toThrow(/not an image/);
    expect(() => checkHeader('huge.png', pngHeader(30000, 30000), 1000)).toThrow(
      /30000 x 30000 pixels \(900 megapixels\); the limit is 100 megapixels/,
    );
    // Exactly at the limit is fine.
    expect(checkHeader('ok.png', pngHeader(10000, MAX_PIXELS / 10000), 1000).width).toBe(10000);
  });
});

describe('fitWithin', () => {
  it('keeps the aspect, shrinks, and enlarges only when asked', () => {
    expect(fitWithin(1352, 900, 480, 480)).toEqual([480, 320]);
    expect(fitWithin(224, 224, 480, 480)).toEqual([224, 224]);
    expect(fitWithin(224, 224, 480, 480, true)).toEqual([480, 480]);
    expect(fitWithin(100, 4000, 480, 480)).toEqual([12, 480]);
  });
});

describe('isWeightsFile', () => {
  it('recognises Keras HDF5 files by name', () => {
    expect(isWeightsFile('mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224.h5')).toBe(true);
    expect(isWeightsFile('W.HDF5')).toBe(true);
    expect(isWeightsFile('photo.jpg')).toBe(false);
  });
});

describe('checkHeader: valid images of other formats', () => {
  it.each([
    [
      'scan.tiff',
      [
        0x49, 0x49, 0x2a, 0x00, 8, 0, 0, 0, 2, 0, 0x00, 0x01, 3, 0, 1, 0, 0, 0, 64, 0, 0, 0, 0x01,
        0x01, 3, 0, 1, 0, 0, 0, 48, 0, 0, 0, 0, 0, 0, 0,
      ],
      'TIFF',
    ],
    [
      'logo.svg',
      [
        ...new TextEncoder().encode(
          '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="20"></svg>',
        ),
      ],
      'SVG \\(vector\\)',
    ],
    [
      'logo-no-size.svg',
      [
        ...new TextEncoder().encode(
          '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 20"></svg>',
        ),
      ],
      'SVG \\(vector\\)',
    ],
  ])('%s: names the format and the supported ones, never "damaged"', (name, bytes, format) => {
    const data = Uint8Array.from(bytes as number[]);
    let message = '';
    try {
      checkHeader(name as string, data, data.length);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      new RegExp(
        `^"${name}" is a ${format} image, which this app cannot read\\. Use a JPEG, PNG, WebP, GIF or BMP file`,
      ),
    );
    expect(message).not.toMatch(/damaged|truncated/);
  });
});
