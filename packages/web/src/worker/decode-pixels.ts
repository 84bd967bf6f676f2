// Pixels as Keras sees them (PIL's Image.open(f).convert('RGB')): the values stored in the file, with
// no colour management and no alpha premultiplication, at full resolution (core resizes exactly as
// Pillow does). A 2D canvas premultiplies, so a transparent pixel would lose its colour: the pixels
// are read back through a WebGL2 texture uploaded with UNPACK_PREMULTIPLY_ALPHA_WEBGL off.
import type { RgbaImage } from '@gradcam-explorer/core/pure';

/** Largest tile uploaded at once (WebGL2 guarantees MAX_TEXTURE_SIZE >= 2048). */
const TILE = 4096;

/** Decodes `blob` (EXIF orientation applied, as the CLI does) to its stored RGBA values. */
export async function decodePixels(blob: Blob): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(blob, {
    imageOrientation: 'from-image',
    colorSpaceConversion: 'none',
    premultiplyAlpha: 'none',
  });
  try {
    return readWithWebgl(bitmap) ?? readWithCanvas(bitmap);
  } finally {
    bitmap.close();
  }
}

function readWithWebgl(bitmap: ImageBitmap): RgbaImage | null {
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2', { antialias: false });
  if (!gl) return null;
  const { width, height } = bitmap;
  const tile = Math.min(TILE, gl.getParameter(gl.MAX_TEXTURE_SIZE) as number);
  const out = new Uint8ClampedArray(width * height * 4);
  const buf = new Uint8Array(tile * tile * 4);
  const tex = gl.createTexture();
  const fb = gl.createFramebuffer();
  try {
    gl.bindTexture(gl.TEXTURE_2D, tex);
    gl.pixelStorei(gl.UNPACK_PREMULTIPLY_ALPHA_WEBGL, false);
    gl.pixelStorei(gl.UNPACK_COLORSPACE_CONVERSION_WEBGL, gl.NONE);
    gl.pixelStorei(gl.UNPACK_FLIP_Y_WEBGL, false);
    gl.pixelStorei(gl.PACK_ALIGNMENT, 1);
    gl.bindFramebuffer(gl.FRAMEBUFFER, fb);
    for (let y0 = 0; y0 < height; y0 += tile) {
      for (let x0 = 0; x0 < width; x0 += tile) {
        const w = Math.min(tile, width - x0);
        const h = Math.min(tile, height - y0);
        // WebGL2 selects a sub-rectangle of an ImageBitmap with the skip parameters.
        gl.pixelStorei(gl.UNPACK_SKIP_PIXELS, x0);
        gl.pixelStorei(gl.UNPACK_SKIP_ROWS, y0);
        gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, w, h, 0, gl.RGBA, gl.UNSIGNED_BYTE, bitmap);
        gl.framebufferTexture2D(gl.FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, tex, 0);
        if (gl.checkFramebufferStatus(gl.FRAMEBUFFER) !== gl.FRAMEBUFFER_COMPLETE) return null;
        // Texture row 0 is the bitmap's top row (no flip), and readPixels starts at row 0.
        gl.readPixels(0, 0, w, h, gl.RGBA, gl.UNSIGNED_BYTE, buf);
        for (let r = 0; r < h; r++) {
          out.set(buf.subarray(r * w * 4, (r + 1) * w * 4), ((y0 + r) * width + x0) * 4);
        }
      }
    }
    return gl.getError() === gl.NO_ERROR ? { width, height, data: out } : null;
  } finally {
    gl.deleteTexture(tex);
    gl.deleteFramebuffer(fb);
    gl.getExtension('WEBGL_lose_context')?.loseContext();
  }
}

/** Without WebGL2: exact for opaque images; transparent pixels come back premultiplied (black). */
function readWithCanvas(bitmap: ImageBitmap): RgbaImage {
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) throw new Error('No 2D canvas in this worker');
  ctx.drawImage(bitmap, 0, 0);
  const data = ctx.getImageData(0, 0, bitmap.width, bitmap.height).data;
  return { width: bitmap.width, height: bitmap.height, data };
}
