// Colormap choice: all of core's COLORMAPS, each with a swatch drawn from its own lookup table.
import { useEffect, useId, useRef, useState } from 'react';
import { COLORMAPS, colorbar, getColormap } from '@gradcam-explorer/core/pure';
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

export function ColormapPicker({ value, onChange }: { value: string; onChange(id: string): void }) {
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const current = getColormap(value);
  return (
    <div className="cmap-picker">
      <span className="control-label" id={`${panelId}-label`}>
        Colormap
      </span>
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
      <fieldset id={panelId} className="cmap-grid" hidden={!open}>
        <legend className="visually-hidden">Colormap</legend>
        {COLORMAPS.map((c) => (
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
                {c.perceptuallyUniform && (
                  <span className="badge" title="Perceptually uniform">
                    uniform
                  </span>
                )}
              </label>
            )}
          </Tip>
        ))}
      </fieldset>
    </div>
  );
}
