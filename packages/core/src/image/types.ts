/** Decoded pixels, RGBA 8-bit, row-major, top row first (the layout of ImageData). */
export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8ClampedArray | Uint8Array;
}
