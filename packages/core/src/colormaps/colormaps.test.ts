import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLORMAPS, DEFAULT_COLORMAP, getColormap, isColormapId } from './registry.js';
import { colorIndex, LUT_SIZE } from './types.js';

const rgb = (id: string, i: number) => Array.from(getColormap(id).lut.subarray(3 * i, 3 * i + 3));

describe('colormap registry', () => {
  it('has the 22 maps under matplotlib ids, unique, 256 RGB entries each', () => {
    expect(COLORMAPS.map((c) => c.id)).toEqual([
      'jet', 'flag', 'prism', 'ocean', 'gist_earth', 'terrain', 'gist_stern', 'gnuplot',
      'gnuplot2', 'CMRmap', 'cubehelix', 'brg', 'gist_rainbow', 'rainbow', 'turbo',
      'nipy_spectral', 'gist_ncar', 'viridis', 'plasma', 'inferno', 'magma', 'cividis',
    ]); // prettier-ignore
    expect(new Set(COLORMAPS.map((c) => c.id)).size).toBe(22);
    for (const c of COLORMAPS) {
      expect(c.lut, c.id).toBeInstanceOf(Uint8Array);
      expect(c.lut.length, c.id).toBe(LUT_SIZE * 3);
      expect(c.name.length, c.id).toBeGreaterThan(0);
      expect(c.description, c.id).not.toMatch(/\n/);
      expect(c.description.length, c.id).toBeGreaterThan(20);
    }
  });

  it('marks exactly the five viridis-family maps perceptually uniform', () => {
    expect(COLORMAPS.filter((c) => c.perceptuallyUniform).map((c) => c.id)).toEqual([
      'viridis',
      'plasma',
      'inferno',
      'magma',
      'cividis',
    ]);
  });

  it('defaults to viridis (perceptually uniform) and explains unknown ids', () => {
    expect(getColormap(DEFAULT_COLORMAP).id).toBe('viridis');
    expect(isColormapId('CMRmap')).toBe(true);
    expect(isColormapId('cmrmap')).toBe(false);
    expect(() => getColormap('cmrmap')).toThrow(/did you mean 'CMRmap'.*Valid ids: jet, flag/);
    expect(() => getColormap('hot')).toThrow(/Unknown colormap 'hot'.*viridis.*cividis/);
  });
});

describe('colormap tables', () => {
  it('match published anchor values', () => {
    // _cm_listed.py rows * 255, truncated (matplotlib bytes=True):
    // viridis first/last rows (0.267004, 0.004874, 0.329415) / (0.993248, 0.906157, 0.143936).
    expect(rgb('viridis', 0)).toEqual([68, 1, 84]);
    expect(rgb('viridis', 255)).toEqual([253, 231, 36]);
    // magma and inferno share their first row (0.001462, 0.000466, 0.013866).
    expect(rgb('magma', 0)).toEqual([0, 0, 3]);
    expect(rgb('inferno', 0)).toEqual([0, 0, 3]);
    // cividis (Nunez et al. 2018) first row (0, 0.135112, 0.304751).
    expect(rgb('cividis', 0)).toEqual([0, 34, 77]);
    // Google's published turbo table, first row (0.18995, 0.07176, 0.23217).
    expect(rgb('turbo', 0)).toEqual([48, 18, 59]);
    // jet segment data: blue 0.5 at x = 0, red 0.5 at x = 1; 0.5 * 255 truncates to 127.
    expect(rgb('jet', 0)).toEqual([0, 0, 127]);
    expect(rgb('jet', 255)).toEqual([127, 0, 0]);
    // brg is from_list(blue, red, green).
    expect(rgb('brg', 0)).toEqual([0, 0, 255]);
    expect(rgb('brg', 255)).toEqual([0, 255, 0]);
    // cubehelix runs from black to white (Green 2011).
    expect(rgb('cubehelix', 0)).toEqual([0, 0, 0]);
    expect(rgb('cubehelix', 255)).toEqual([255, 255, 255]);
    // gnuplot: r = sqrt(x), g = x^3, b = sin(2 pi x); at x = 1: (1, 1, ~0).
    expect(rgb('gnuplot', 255)).toEqual([255, 255, 0]);
  });

  it('equal matplotlib output for every entry of every map (formula maps within 1 unit)', (ctx) => {
    const py = '/usr/bin/python3';
    if (!existsSync(py)) {
      console.log(`skipped: ${py} not found`);
      ctx.skip();
    }
    const ids = COLORMAPS.map((c) => c.id);
    // Float inputs, to check colorIndex against matplotlib's own float-to-index rule.
    const values = [0, 1e-9, 1 / 256, 0.5 - 1e-12, 0.5, 0.999, 1, 1.5, -0.1];
    for (let i = 0; i <= 1000; i++) values.push(i / 1000);
    const script = [
      'import json, sys',
      'import numpy as np',
      'import matplotlib',
      'ids, values = json.loads(sys.argv[1]), np.array(json.loads(sys.argv[2]), dtype=np.float64)',
      'tables = {i: matplotlib.colormaps[i](np.arange(256), bytes=True)[:, :3].ravel().tolist() for i in ids}',
      "floats = matplotlib.colormaps['viridis'](values, bytes=True)[:, :3].ravel().tolist()",
      // A map is 'formula' when matplotlib computes it from functions (gnuplot's formulae, flag, ...),
      // 'data' when it interpolates a table (ListedColormap rows or segment anchor points).
      'import matplotlib._cm as cm',
      'formula = [i for i in ids if isinstance(cm.datad.get(i), dict) and any(callable(v) for v in cm.datad[i].values())]',
      'print(json.dumps({"tables": tables, "floats": floats, "formula": formula}))',
    ].join('\n');
    let out: string;
    try {
      out = execFileSync(py, ['-c', script, JSON.stringify(ids), JSON.stringify(values)], {
        encoding: 'utf8',
      });
    } catch (e) {
      console.log(
        `skipped: ${py} has no usable matplotlib (${(e as Error).message.split('\n')[0]})`,
      );
      ctx.skip();
      return;
    }
    const { tables, floats, formula } = JSON.parse(out) as {
      tables: Record<string, number[]>;
      floats: number[];
      formula: string[];
    };
    // Tables interpolated from data must match to the byte. Maps that matplotlib evaluates from
    // formulas (sin, sqrt, powers in numpy) can land on the other side of an integer before the
    // x255 truncation with another numpy build or CPU (flag gave 254 for 255 on one machine), so
    // those are held to 1 unit of 8 bits, still exact enough to catch any wrong formula.
    expect(formula).toEqual(
      expect.arrayContaining(['flag', 'prism', 'gnuplot', 'gnuplot2', 'ocean']),
    );
    expect(formula).not.toContain('jet');
    for (const id of ids) {
      const ours = Array.from(getColormap(id).lut);
      if (!formula.includes(id)) {
        expect(ours, id).toEqual(tables[id]);
        continue;
      }
      const worst = Math.max(...ours.map((v, i) => Math.abs(v - tables[id]![i]!)));
      expect(worst, `${id}: largest difference from matplotlib`).toBeLessThanOrEqual(1);
    }
    expect(values.flatMap((v) => rgb('viridis', colorIndex(v)))).toEqual(floats);
  });
});

describe('colorIndex', () => {
  it('follows matplotlib: int(v * 256), 1 -> 255, out of range clipped, NaN -> 0', () => {
    expect(colorIndex(0)).toBe(0);
    expect(colorIndex(1 / 256 - 1e-9)).toBe(0);
    expect(colorIndex(1 / 256)).toBe(1);
    expect(colorIndex(0.5)).toBe(128);
    expect(colorIndex(255 / 256 - 1e-9)).toBe(254);
    expect(colorIndex(0.999)).toBe(255);
    expect(colorIndex(1)).toBe(255);
    expect(colorIndex(7)).toBe(255);
    expect(colorIndex(Infinity)).toBe(255);
    expect(colorIndex(-0.5)).toBe(0);
    expect(colorIndex(-Infinity)).toBe(0);
    expect(colorIndex(NaN)).toBe(0);
  });
});
