// Checks a photo before decoding it: empty files, files that are no image, and images too large to
// decode safely get a clear message instead of a browser error or a frozen tab. Then decodes it,
// and reads its pixels at the size they are shown.
import { imageSize } from 'image-size';
import type { RgbaImage } from '@gradcam-explorer/core/pure';

/** Larger images are refused before decoding (100 megapixels = 400 MB of RGBA). */
export const MAX_PIXELS = 100_000_000;
/** Bytes read for the header check; the whole file is read when the header lies further in. */
const HEADER_BYTES = 512 * 1024;

export class ImageInputError extends Error {
  override readonly name = 'ImageInputError';
}

export interface ImageHeader {
  width: number;
  height: number;
  /** Format as image-size names it: jpg, png, bmp, webp, gif, ... */
  type: string;
}

/** Formats the page (and the CLI) decode, as image-size names them. */
const SUPPORTED_TYPES = new Set(['jpg', 'png', 'webp', 'gif', 'bmp']);
const FORMAT_NAMES: Record<string, string> = {
  svg: 'SVG (vector)',
  tiff: 'TIFF',
  heif: 'HEIF/HEIC',
  jxl: 'JPEG XL',
  'jxl-stream': 'JPEG XL',
  jp2: 'JPEG 2000',
  j2c: 'JPEG 2000',
  ico: 'icon (ICO)',
  cur: 'cursor (CUR)',
  psd: 'Photoshop (PSD)',
};

const mp = (n: number) => (n / 1e6).toFixed(n < 1e7 ? 1 : 0);

/**
 * Reads the header of `bytes` (the first part of the file, or all of it) and returns its size, with
 * EXIF orientations 5-8 (90-degree rotations) applied. Throws ImageInputError with a message for
 * the user otherwise.
 */
export function checkHeader(name: string, bytes: Uint8Array, fileSize: number): ImageHeader {
  if (fileSize === 0) throw new ImageInputError(`"${name}" is empty (0 bytes).`);
  let info: ReturnType<typeof imageSize>;
  try {
    info = imageSize(bytes);
  } catch {
    throw new ImageInputError(
      `"${name}" is not an image this app can read. Use a JPEG, PNG, WebP, GIF or BMP file.`,
    );
  }
  const type = info.type ?? 'unknown';
  if (!SUPPORTED_TYPES.has(type)) {
    // A valid image of another format (TIFF, SVG, HEIC, ...) is not "damaged": say what to do.
    const format = FORMAT_NAMES[type] ?? type.toUpperCase();
    throw new ImageInputError(
      `"${name}" is a ${format} image, which this app cannot read. ` +
        `Use a JPEG, PNG, WebP, GIF or BMP file (save or export it as one of these).`,
    );
  }
  let { width = 0, height = 0 } = info;
  if (!width || !height) {
    throw new ImageInputError(`"${name}" does not say how large it is; it may be damaged.`);
  }
  if (info.orientation && info.orientation >= 5) [width, height] = [height, width];
  if (width * height > MAX_PIXELS) {
    throw new ImageInputError(
      `"${name}" is ${width} x ${height} pixels (${mp(width * height)} megapixels); ` +
        `the limit is ${MAX_PIXELS / 1e6} megapixels. Scale it down and try again.`,
    );
  }
  return { width, height, type };
}

/** Reads the file's header (retrying with the whole file when needed) and checks it. */
export async function readHeader(file: Blob & { name: string }): Promise<ImageHeader> {
  if (file.size === 0) return checkHeader(file.name, new Uint8Array(0), 0);
  const head = new Uint8Array(await file.slice(0, HEADER_BYTES).arrayBuffer());
  try {
    return checkHeader(file.name, head, file.size);
  } catch (e) {
    if (file.size <= HEADER_BYTES || /megapixels/.test((e as Error).message)) throw e;
    // JPEG size markers can sit after a large EXIF block.
    return checkHeader(file.name, new Uint8Array(await file.arrayBuffer()), file.size);
  }
}

/** Decodes with EXIF orientation applied; a failure becomes a message about a damaged file. */
export async function decodeImage(file: Blob & { name: string }): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    throw new ImageInputError(
      `"${file.name}" could not be decoded: the file is damaged or incomplete (truncated).`,
    );
  }
}

/** True for files that are Keras weights rather than photos (dropping one loads the weights). */
export const isWeightsFile = (name: string) => /\.(h5|hdf5)$/i.test(name);

/**
 * Files that are not photos but (part of) a model: Keras .h5/.keras, a TensorFlow.js model.json
 * and its .bin shards, a labels file. The worker reads them by content (`openModelFiles`).
 */
export const isModelFile = (name: string) => /\.(h5|hdf5|keras|json|bin|txt)$/i.test(name);

/** Size that fits `w x h` into `maxW x maxH`, keeping the aspect (enlarging only if asked). */
export function fitWithin(
  w: number,
  h: number,
  maxW: number,
  maxH: number,
  enlarge = false,
): [number, number] {
  const k = Math.min(enlarge ? Infinity : 1, maxW / w, maxH / h);
  return [Math.max(1, Math.round(w * k)), Math.max(1, Math.round(h * k))];
}

/** The bitmap's pixels at `width x height` (the overlay's base at display resolution). */
export async function pixelsAt(
  bitmap: ImageBitmap,
  width: number,
  height: number,
): Promise<RgbaImage> {
  const small =
    width === bitmap.width && height === bitmap.height
      ? bitmap
      : await createImageBitmap(bitmap, {
          resizeWidth: width,
          resizeHeight: height,
          resizeQuality: 'high',
        });
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(small, 0, 0);
  if (small !== bitmap) small.close();
  return { width, height, data: ctx.getImageData(0, 0, width, height).data };
}
