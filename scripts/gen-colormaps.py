#!/usr/bin/python3
"""Writes packages/core/src/colormaps/<id>.ts: matplotlib's own 8-bit tables, one file per map.

Run with the Python that has matplotlib (Debian's python3-matplotlib here):

    /usr/bin/python3 scripts/gen-colormaps.py

Each table is `matplotlib.colormaps[id](np.arange(256), bytes=True)[:, :3]`, i.e. the colormap's
float LUT times 255 truncated to uint8, exactly what matplotlib itself draws with. To add a map,
add it to MAPS below, run this script, and add one line to colormaps/registry.ts.
"""

import os
import sys

import matplotlib
import matplotlib._cm as _cm
import matplotlib._cm_listed as _cm_listed
import numpy as np

N = 256
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "packages", "core", "src", "colormaps")
EXPECTED_MATPLOTLIB = "3.6.3"

# id -> (display name, perceptually uniform, one-line description)
MAPS = {
    "jet": (
        "Jet",
        False,
        "MATLAB's classic rainbow and the usual Grad-CAM look; not perceptually uniform: "
        "its bright cyan and yellow bands invent edges.",
    ),
    "flag": (
        "Flag",
        False,
        "Red-white-blue-black stripes repeating about 16 times; shows iso-lines, "
        "useless for reading magnitudes.",
    ),
    "prism": (
        "Prism",
        False,
        "Red-yellow-green-blue-violet stripes repeating about 10 times; shows contours, "
        "not magnitudes.",
    ),
    "ocean": (
        "Ocean",
        False,
        "Green to blue to white (gnuplot formulae 23, 28, 3); lightness dips before it rises, "
        "so low values read ambiguously.",
    ),
    "gist_earth": (
        "GIST Earth",
        False,
        "Elevation map from GIST/Yorick (black, blue, green, tan, white); lightness rises "
        "but in uneven steps.",
    ),
    "terrain": (
        "Terrain",
        False,
        "Topographic map (blue sea, green land, brown hills, white peaks); its hue jumps "
        "mislead on heatmaps.",
    ),
    "gist_stern": (
        "GIST Stern",
        False,
        "Stern special from GIST/Yorick: a red spike at the low end, then blue to white; "
        "non-monotonic, hard to read.",
    ),
    "gnuplot": (
        "Gnuplot",
        False,
        "gnuplot's default palette (black, purple, red, yellow; formulae 7, 5, 15); "
        "lightness rises but unevenly.",
    ),
    "gnuplot2": (
        "Gnuplot 2",
        False,
        "gnuplot palette 30, 31, 32 (black, blue, purple, yellow, white); monotonic "
        "lightness, uneven steps.",
    ),
    "CMRmap": (
        "CMRmap",
        False,
        "Carey Rappaport's map (black, blue, red, yellow, white), made to stay monotonic "
        "when printed in greyscale.",
    ),
    "cubehelix": (
        "Cubehelix",
        False,
        "Green's (2011) helix through the colour cube with steadily rising lightness; "
        "prints well in greyscale.",
    ),
    "brg": (
        "BRG",
        False,
        "Blue to red to green; hue changes dominate and lightness is uneven, a poor choice "
        "for magnitudes.",
    ),
    "gist_rainbow": (
        "GIST Rainbow",
        False,
        "Full rainbow from red round to magenta (GIST/Yorick); both ends look alike and "
        "bright bands make false edges.",
    ),
    "rainbow": (
        "Rainbow",
        False,
        "Violet-blue-green-yellow-red from sine curves; not perceptually uniform: "
        "the bright green-yellow band draws the eye.",
    ),
    "turbo": (
        "Turbo",
        False,
        "Google's improved rainbow (Mikhailov, 2019): smoother than jet, but lightness "
        "still rises then falls.",
    ),
    "nipy_spectral": (
        "NiPy Spectral",
        False,
        "NiPy's spectral map (black, purple, blue, green, yellow, red, grey): many distinct "
        "hues, misleading for magnitudes.",
    ),
    "gist_ncar": (
        "GIST NCAR",
        False,
        "NCAR Graphics map with rapid hue changes: many distinct colours, but lightness "
        "jumps up and down.",
    ),
    "viridis": (
        "Viridis",
        True,
        "matplotlib's default (van der Walt & Smith, 2015): perceptually uniform, "
        "colour-blind friendly, greyscale-safe.",
    ),
    "plasma": (
        "Plasma",
        True,
        "Perceptually uniform blue-purple-orange-yellow (van der Walt & Smith, 2015); "
        "colour-blind friendly.",
    ),
    "inferno": (
        "Inferno",
        True,
        "Perceptually uniform black-purple-orange-pale yellow (van der Walt & Smith, 2015); "
        "high contrast.",
    ),
    "magma": (
        "Magma",
        True,
        "Perceptually uniform black-purple-pink-pale yellow (van der Walt & Smith, 2015); "
        "a softer top than inferno.",
    ),
    "cividis": (
        "Cividis",
        True,
        "Perceptually uniform blue to yellow, optimised for colour-vision deficiency "
        "(Nunez, Anderton & Renslow, 2018).",
    ),
}


def table(cmap_id):
    """matplotlib's own 8-bit output for every index: shape (256, 3), uint8."""
    cmap = matplotlib.colormaps[cmap_id]
    if cmap.N != N:
        sys.exit(f"{cmap_id}: N = {cmap.N}, expected {N}")
    return cmap(np.arange(N), bytes=True)[:, :3]


def definition(cmap_id):
    """Where matplotlib defines the map: `_<id>_data` in _cm.py or _cm_listed.py."""
    if cmap_id in _cm_listed.cmaps:
        return f"`_{cmap_id}_data` in matplotlib/_cm_listed.py (ListedColormap)"
    if cmap_id in _cm.datad:
        return f"`_{cmap_id}_data` in matplotlib/_cm.py (LinearSegmentedColormap, N = {N})"
    sys.exit(f"{cmap_id}: not a built-in matplotlib colormap")


def ts_string(s):
    # Prettier's choice: single quotes unless the text holds more single than double quotes.
    if "\\" in s or ("'" in s and '"' in s):
        sys.exit(f"unsupported characters in {s!r}")
    return f'"{s}"' if "'" in s else f"'{s}'"


def description_lines(description):
    # Laid out as prettier (printWidth 100) would, so generated files pass `prettier --check`.
    line = f"  description: {ts_string(description)},"
    if len(line) <= 100:
        return [line]
    return ["  description:", f"    {ts_string(description)},"]


def render(cmap_id, name, uniform, description):
    rgb = table(cmap_id)
    rows = []
    for start in range(0, N, 8):
        cells = ", ".join(
            f"{r:3d}, {g:3d}, {b:3d}" for r, g, b in rgb[start : start + 8].tolist()
        )
        rows.append(f"    /* {start:3d} */ {cells},")
    return "\n".join(
        [
            "// Generated by scripts/gen-colormaps.py; do not edit by hand.",
            f"// Source: matplotlib {matplotlib.__version__}, {definition(cmap_id)}.",
            f"// Table: matplotlib.colormaps['{cmap_id}'](np.arange(256), bytes=True)[:, :3], i.e. the",
            "// float LUT * 255 truncated to uint8, matplotlib's own 8-bit output.",
            "// Command: /usr/bin/python3 scripts/gen-colormaps.py",
            "import type { Colormap } from './types.js';",
            "",
            f"export const {cmap_id}: Colormap<'{cmap_id}'> = {{",
            f"  id: '{cmap_id}',",
            f"  name: {ts_string(name)},",
            *description_lines(description),
            f"  perceptuallyUniform: {'true' if uniform else 'false'},",
            "  // Entry i is RGB at [3i, 3i + 1, 3i + 2]; each row holds 8 entries.",
            "  // prettier-ignore",
            "  lut: new Uint8Array([",
            *rows,
            "  ]),",
            "};",
            "",
        ]
    )


def main():
    if matplotlib.__version__ != EXPECTED_MATPLOTLIB:
        print(
            f"warning: matplotlib {matplotlib.__version__}, tables were made with "
            f"{EXPECTED_MATPLOTLIB}",
            file=sys.stderr,
        )
    for cmap_id, (name, uniform, description) in MAPS.items():
        path = os.path.join(OUT_DIR, f"{cmap_id}.ts")
        with open(path, "w", encoding="utf-8") as f:
            f.write(render(cmap_id, name, uniform, description))
        print(f"wrote {os.path.relpath(path, ROOT)}")


if __name__ == "__main__":
    main()
