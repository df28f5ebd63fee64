/**
 * Reading screenshots: decode a PNG (pngjs) and find the pixels of one colour, to check that a
 * WebGL map really drew its pins (no DOM to query: they are pixels on a canvas).
 */
import { PNG } from 'pngjs';

export interface ColourHits {
  count: number;
  /** Mean position of the matching pixels (image coordinates), or null without any. */
  centre: { x: number; y: number } | null;
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));

/** A disc of an image, in image pixels. */
export interface Disc {
  x: number;
  y: number;
  radius: number;
}

/** Pixels within `tolerance` (per channel) of `hex` in a PNG image (or only in the disc `within`). */
export function findColour(png: Buffer, hex: string, tolerance = 8, within?: Disc): ColourHits {
  const img = PNG.sync.read(png);
  const [r, g, b] = rgb(hex);
  let count = 0;
  let sx = 0;
  let sy = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (within && (x - within.x) ** 2 + (y - within.y) ** 2 > within.radius ** 2) continue;
      const i = (y * img.width + x) * 4;
      if (Math.abs(img.data[i] - r) <= tolerance && Math.abs(img.data[i + 1] - g) <= tolerance && Math.abs(img.data[i + 2] - b) <= tolerance) {
        count++;
        sx += x;
        sy += y;
      }
    }
  }
  return { count, centre: count ? { x: sx / count, y: sy / count } : null };
}
