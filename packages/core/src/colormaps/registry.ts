import { brg } from './brg.js';
import { cividis } from './cividis.js';
import { CMRmap } from './CMRmap.js';
import { cubehelix } from './cubehelix.js';
import { flag } from './flag.js';
import { gist_earth } from './gist_earth.js';
import { gist_ncar } from './gist_ncar.js';
import { gist_rainbow } from './gist_rainbow.js';
import { gist_stern } from './gist_stern.js';
import { gnuplot } from './gnuplot.js';
import { gnuplot2 } from './gnuplot2.js';
import { inferno } from './inferno.js';
import { jet } from './jet.js';
import { magma } from './magma.js';
import { nipy_spectral } from './nipy_spectral.js';
import { ocean } from './ocean.js';
import { plasma } from './plasma.js';
import { prism } from './prism.js';
import { rainbow } from './rainbow.js';
import { terrain } from './terrain.js';
import { turbo } from './turbo.js';
import type { Colormap } from './types.js';
import { viridis } from './viridis.js';

/** All colormaps in picker order: the original app's 17, then the perceptually uniform five. */
export const COLORMAPS = [
  jet,
  flag,
  prism,
  ocean,
  gist_earth,
  terrain,
  gist_stern,
  gnuplot,
  gnuplot2,
  CMRmap,
  cubehelix,
  brg,
  gist_rainbow,
  rainbow,
  turbo,
  nipy_spectral,
  gist_ncar,
  viridis,
  plasma,
  inferno,
  magma,
  cividis,
] as const satisfies readonly Colormap[];

export type ColormapId = (typeof COLORMAPS)[number]['id'];

/**
 * Perceptually uniform by default (equal steps in value look equal, also in grey and for
 * colour-blind readers); jet, the usual Grad-CAM look, is one choice away.
 */
export const DEFAULT_COLORMAP: ColormapId = 'viridis';

const BY_ID = new Map<string, Colormap>(COLORMAPS.map((c) => [c.id, c]));

export function isColormapId(id: string): id is ColormapId {
  return BY_ID.has(id);
}

/** The colormap with matplotlib's name `id` (case-sensitive, as matplotlib). */
export function getColormap(id: string): Colormap {
  const found = BY_ID.get(id);
  if (found) return found;
  const hint = COLORMAPS.find((c) => c.id.toLowerCase() === id.toLowerCase());
  throw new Error(
    `Unknown colormap '${id}'${hint ? ` (did you mean '${hint.id}'?)` : ''}. ` +
      `Valid ids: ${COLORMAPS.map((c) => c.id).join(', ')}`,
  );
}
