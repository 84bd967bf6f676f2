// Colormap choice: all of core's COLORMAPS in three groups (perceptually uniform first), each with a
// swatch drawn from its own lookup table; the default and jet are one click away.
import { useEffect, useId, useRef, useState } from 'react';
import {
  COLORMAPS,
  DEFAULT_COLORMAP,
  colorbar,
  getColormap,
  type Colormap,
} from '@gradcam-explorer/core/pure';
import { Tip } from '../Tip';

/** A horizontal strip of the map's 256 entries (core `colorbar`, low values left). */
export function Swatch({
  id,
  width = 64,
  height = 12,
}: {
  id: string;
  width?: number;
  height?: number;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const img = colorbar(getColormap(id), width, height, 'horizontal');
    ctx.putImageData(new ImageData(new Uint8ClampedArray(img.data), width, height), 0, 0);
  }, [id, width, height]);
  return <canvas ref={ref} width={width} height={height} className="swatch" aria-hidden="true" />;
}

/** The rainbow maps: the usual Grad-CAM look, not perceptually uniform. */
const RAINBOW = ['jet', 'turbo', 'rainbow', 'gist_rainbow', 'nipy_spectral', 'gist_ncar'];

/** The picker's groups: core's perceptually uniform maps first, then the rainbows, then the rest. */
export const COLORMAP_GROUPS: { id: string; name: string; maps: Colormap[] }[] = [
  {
    id: 'uniform',
    name: 'Perceptually uniform (recommended)',
    maps: COLORMAPS.filter((c) => c.perceptuallyUniform),
  },
  {
    id: 'rainbow',
    name: 'Rainbow: the classic Grad-CAM look',
    maps: COLORMAPS.filter((c) => !c.perceptuallyUniform && RAINBOW.includes(c.id)),
  },
  {
    id: 'other',
    name: 'Other matplotlib maps',
    maps: COLORMAPS.filter((c) => !c.perceptuallyUniform && !RAINBOW.includes(c.id)),
  },
];

/** One click from the closed picker: the default and jet. */
const QUICK = [
  { id: DEFAULT_COLORMAP, label: getColormap(DEFAULT_COLORMAP).name },
  { id: 'jet', label: 'Jet (classic)' },
].filter((q, i, all) => all.findIndex((x) => x.id === q.id) === i);

export function ColormapPicker({ value, onChange }: { value: string; onChange(id: string): void }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const current = getColormap(value);
  return (
    <div className="cmap-picker">
      <span className="control-label" id={`${panelId}-label`}>
        Colormap
      </span>
      <div className="cmap-quick" role="group" aria-label="Quick colormap choice">
        {QUICK.map((q) => (
          <button
            key={q.id}
            type="button"
            className="cmap-chip"
            aria-pressed={value === q.id}
            onClick={() => onChange(q.id)}
          >
            <Swatch id={q.id} width={32} />
            {q.label}
          </button>
        ))}
      </div>
      <Tip text="How map values become colours. Perceptually uniform maps (viridis, magma...) make equal steps look equal; rainbow maps such as jet invent sharp edges. Changing it only redraws: no recomputation.">
        <button
          type="button"
          className="cmap-button"
          aria-expanded={open}
          aria-controls={panelId}
          aria-labelledby={`${panelId}-label ${panelId}-current`}
          onClick={() => setOpen((o) => !o)}
        >
          <Swatch id={value} width={96} />
          <span id={`${panelId}-current`}>{current.name}</span>
          <span aria-hidden="true" className="chevron">
            {open ? '▴' : '▾'}
          </span>
        </button>
      </Tip>
      <div id={panelId} className="cmap-grid" hidden={!open}>
        {COLORMAP_GROUPS.map((g) => (
          <fieldset key={g.id} className="cmap-group">
            <legend>{g.name}</legend>
            {g.maps.map((c) => (
              <Tip key={c.id} block text={c.description}>
                {(tipId) => (
                  <label className={`cmap-option${c.id === value ? ' selected' : ''}`}>
                    <input
                      type="radio"
                      name="colormap"
                      value={c.id}
                      checked={c.id === value}
                      onChange={() => onChange(c.id)}
                      onKeyDown={(e) => {
                        if (e.key === 'Enter') setOpen(false);
                      }}
                      aria-describedby={tipId}
                    />
                    <Swatch id={c.id} />
                    <span>{c.name}</span>
                  </label>
                )}
              </Tip>
            ))}
          </fieldset>
        ))}
      </div>
    </div>
  );
}
