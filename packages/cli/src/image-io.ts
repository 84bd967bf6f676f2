// Node image decoding/encoding for the CLI and the web app's local server.
// JPEG, PNG, WebP, GIF: sharp (libvips) — header-only metadata, EXIF auto-orientation, truncation
// detection (https://sharp.pixelplumbing.com/api-constructor). Pixels as Keras sees them: PIL (and so
// keras.utils.load_img) ignores embedded ICC profiles and drops alpha without premultiplying, so we
// decode with `ignoreIcc` and keep the stored RGB of transparent pixels.
// BMP (libvips has no BMP loader in sharp's prebuilt binaries): @napi-rs/image (Rust `image` crate),
// which decodes every BMP variant (1/4/8-bit palettes, RLE, 16/24/32-bit, bit fields, top-down).
import { readFile, stat } from 'node:fs/promises';
import { Transformer } from '@napi-rs/image';
import sharp, { type Metadata } from 'sharp';
import type { RgbaImage } from '@gradcam-explorer/core';
import { writeWhole } from './interrupt.js';

/**
 * Largest image accepted, in pixels (width x height, after reading only the header): 100 megapixels,
 * i.e. at most 400 MB of decoded RGBA. Larger images are rejected before any pixel is decoded.
 */
export const MAX_PIXELS = 100_000_000;
/** Largest file accepted, in bytes (a 100-megapixel 32-bit BMP is about 400 MB). */
export const MAX_FILE_BYTES = 512 * 1024 * 1024;

export type ImageFormat = 'jpeg' | 'png' | 'bmp' | 'webp' | 'gif';
export const SUPPORTED_FORMATS: readonly ImageFormat[] = ['jpeg', 'png', 'bmp', 'webp', 'gif'];
const SUPPORTED_LIST = 'JPEG, PNG, BMP, WebP, GIF';

export type ImageDecodeErrorReason =
  'unreadable' | 'empty' | 'not-an-image' | 'unsupported-format' | 'too-large' | 'corrupt';

/** Any failure to read or decode an image; the message names the file. */
export class ImageDecodeError extends Error {
  override readonly name = 'ImageDecodeError';
  constructor(
    readonly fileName: string,
    readonly reason: ImageDecodeErrorReason,
    detail: string,
    options?: { cause?: unknown },
  ) {
    super(`Cannot decode image "${fileName}": ${detail}`, options);
  }
}

/** Reads and decodes an image file (see {@link decodeImage}). */
export async function decodeImageFile(path: string): Promise<RgbaImage> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw new Error('not a regular file');
    size = st.size;
  } catch (e) {
    throw new ImageDecodeError(path, 'unreadable', `cannot read the file (${errorText(e)})`, {
      cause: e,
    });
  }
  if (size > MAX_FILE_BYTES) {
    throw new ImageDecodeError(
      path,
      'too-large',
      `the file is ${formatBytes(size)}, more than the ${formatBytes(MAX_FILE_BYTES)} limit`,
    );
  }
  let bytes: Uint8Array;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new ImageDecodeError(path, 'unreadable', `cannot read the file (${errorText(e)})`, {
      cause: e,
    });
  }
  return decodeImage(bytes, path);
}

/**
 * Decodes JPEG, PNG, BMP, WebP or GIF (first frame) bytes to RGBA as PIL does (embedded colour
 * profiles ignored, alpha not premultiplied), applying the EXIF orientation. The format is detected from the content; `name` is only used in messages.
 * Throws {@link ImageDecodeError}.
 */
export async function decodeImage(bytes: Uint8Array, name: string): Promise<RgbaImage> {
  if (bytes.byteLength === 0) throw new ImageDecodeError(name, 'empty', 'the file is empty');
  if (bytes.byteLength > MAX_FILE_BYTES) {
    throw new ImageDecodeError(
      name,
      'too-large',
      `${formatBytes(bytes.byteLength)} of data, more than the ${formatBytes(MAX_FILE_BYTES)} limit`,
    );
  }
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // "BM": BITMAPFILEHEADER.bfType (https://learn.microsoft.com/windows/win32/api/wingdi/ns-wingdi-bitmapfileheader)
  if (buf[0] === 0x42 && buf[1] === 0x4d) return decodeBmp(buf, name);
  return decodeWithSharp(buf, name);
}

async function decodeWithSharp(buf: Buffer, name: string): Promise<RgbaImage> {
  let meta: Metadata;
  try {
    // Header only; the pixel limit is applied below so that the message can give the size.
    meta = await sharp(buf, { limitInputPixels: false }).metadata();
  } catch (e) {
    throw sharpError(name, e);
  }
  if (!(SUPPORTED_FORMATS as readonly string[]).includes(meta.format)) {
    throw new ImageDecodeError(
      name,
      'unsupported-format',
      `${meta.format.toUpperCase()} images are not supported (supported: ${SUPPORTED_LIST})`,
    );
  }
  checkPixels(name, meta.width, meta.pageHeight ?? meta.height);
  try {
    // failOn 'error': truncated or broken data aborts; harmless libjpeg warnings (e.g. extraneous
    // bytes before a marker, common in camera files) do not. GIF/WebP: first frame (pages: 1).
    // ignoreIcc: the stored values, not colour-managed ones (grey and CMYK still become RGB);
    // ensureAlpha makes 4 bands.
    const { data, info } = await sharp(buf, {
      ignoreIcc: true,
      failOn: 'error',
      limitInputPixels: MAX_PIXELS,
      autoOrient: true,
      pages: 1,
    })
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 4) throw new Error(`unexpected ${info.channels} channels`);
    return {
      width: info.width,
      height: info.height,
      data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength),
    };
  } catch (e) {
    throw sharpError(name, e);
  }
}

function sharpError(name: string, e: unknown): ImageDecodeError {
  const msg = errorText(e);
  if (/unsupported image format/i.test(msg)) {
    return new ImageDecodeError(
      name,
      'not-an-image',
      `not an image, or not in a supported format (${SUPPORTED_LIST})`,
      { cause: e },
    );
  }
  if (/pixel limit/i.test(msg)) {
    return new ImageDecodeError(name, 'too-large', `more than ${MAX_PIXELS} pixels`, { cause: e });
  }
  return new ImageDecodeError(
    name,
    'corrupt',
    `corrupt or truncated image data (${firstLine(msg)})`,
    {
      cause: e,
    },
  );
}

async function decodeBmp(buf: Buffer, name: string): Promise<RgbaImage> {
  // Header read only for the size limit; layout from BITMAPINFOHEADER / BITMAPCOREHEADER
  // (https://learn.microsoft.com/windows/win32/gdi/bitmap-header-types): DIB header size at 14,
  // then width/height as int32 (or uint16 in the 12-byte core header); negative height = top-down.
  if (buf.byteLength < 26) {
    throw new ImageDecodeError(name, 'corrupt', 'truncated BMP header');
  }
  const core = buf.readUInt32LE(14) === 12;
  const width = core ? buf.readUInt16LE(18) : buf.readInt32LE(18);
  const height = Math.abs(core ? buf.readUInt16LE(20) : buf.readInt32LE(22));
  if (width <= 0 || height <= 0) {
    throw new ImageDecodeError(name, 'corrupt', `invalid BMP size ${width}x${height}`);
  }
  checkPixels(name, width, height);
  let raw: Buffer;
  try {
    raw = await new Transformer(buf).rawPixels();
  } catch (e) {
    throw new ImageDecodeError(
      name,
      'corrupt',
      `corrupt, truncated or unsupported BMP data (${firstLine(errorText(e))})`,
      { cause: e },
    );
  }
  const n = width * height;
  // The `image` crate yields RGB8 or RGBA8 for BMP.
  if (raw.byteLength === n * 4) {
    return { width, height, data: new Uint8ClampedArray(raw.buffer, raw.byteOffset, n * 4) };
  }
  if (raw.byteLength !== n * 3) {
    throw new ImageDecodeError(
      name,
      'corrupt',
      `BMP decoder returned ${raw.byteLength} bytes for ${width}x${height}`,
    );
  }
  const data = new Uint8ClampedArray(n * 4);
  for (let i = 0, j = 0; i < n * 3; i += 3, j += 4) {
    data[j] = raw[i];
    data[j + 1] = raw[i + 1];
    data[j + 2] = raw[i + 2];
    data[j + 3] = 255;
  }
  return { width, height, data };
}

function checkPixels(name: string, width: number, height: number): void {
  if (width * height > MAX_PIXELS) {
    throw new ImageDecodeError(
      name,
      'too-large',
      `${width}x${height} is ${((width * height) / 1e6).toFixed(1)} megapixels, more than the ` +
        `${MAX_PIXELS / 1e6}-megapixel limit; scale it down first`,
    );
  }
}

/** Encodes RGBA pixels as a lossless PNG (alpha kept). */
export async function encodePng(img: RgbaImage): Promise<Uint8Array> {
  const { width, height, data } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new RangeError(`encodePng: invalid size ${width}x${height}`);
  }
  if (data.byteLength !== width * height * 4) {
    throw new RangeError(
      `encodePng: ${data.byteLength} bytes of data for ${width}x${height} RGBA (expected ${width * height * 4})`,
    );
  }
  const input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const png = await sharp(input, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength);
}

/**
 * Encodes RGBA pixels as PNG and writes them to `path`: to a temporary name beside it first, renamed
 * when complete, so that an interrupted run never leaves a broken PNG under the final name.
 */
export async function writePng(path: string, img: RgbaImage): Promise<void> {
  await writeWhole(path, await encodePng(img));
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function formatBytes(n: number): string {
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}
