// Test helper for the image-io tests: small pictures drawn with sharp.
import sharp, { type Sharp } from 'sharp';

export function solid(width: number, height: number, rgb: { r: number; g: number; b: number }) {
  return sharp({ create: { width, height, channels: 3, background: rgb } });
}

export const RED = { r: 255, g: 0, b: 0 };
export const BLUE = { r: 0, g: 0, b: 255 };

/** 40x20 image: left half red, right half blue. */
export async function leftRedRightBlue(): Promise<Sharp> {
  const blue = await solid(20, 20, BLUE).png().toBuffer();
  return solid(40, 20, RED).composite([{ input: blue, left: 20, top: 0 }]);
}
