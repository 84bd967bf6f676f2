/**
 * A colormap as a 256-entry 8-bit RGB lookup table, exactly matplotlib's
 * `cmap(np.arange(256), bytes=True)` for the map of the same name (see each map's file header).
 */
export interface Colormap<Id extends string = string> {
  /** matplotlib's name, e.g. `jet`, `gist_earth`, `CMRmap`. */
  readonly id: Id;
  /** Display name for pickers. */
  readonly name: string;
  /** One line: what the map is good or bad for. */
  readonly description: string;
  /** True for maps designed so equal steps in value look like equal steps in colour. */
  readonly perceptuallyUniform: boolean;
  /** 256 * 3 bytes, RGB of entry i at [3i, 3i + 1, 3i + 2]. */
  readonly lut: Uint8Array;
}

/** Number of entries in every table (matplotlib's default `image.lut`). */
export const LUT_SIZE = 256;

/**
 * Table index of a value, as matplotlib's `Colormap.__call__` does for floats (colors.py, 3.6):
 * `int(v * N)`, with v = 1 (and above) mapped to N - 1 and negatives to 0 (the default "under"
 * colour is entry 0). NaN maps to 0 here (matplotlib would use its transparent "bad" colour).
 */
export function colorIndex(v: number): number {
  const x = v * LUT_SIZE;
  // Comparisons with NaN are false, so NaN falls through to 0.
  return x >= LUT_SIZE - 1 ? LUT_SIZE - 1 : x > 0 ? Math.trunc(x) : 0;
}
