// The heatmap of "How was this computed?": point at a cell (or focus the map and use the arrow
// keys) to see which channels add most to it. The last cell stays inspected when the pointer leaves,
// so its list can be used; a click or Enter pins it against hovering, Escape clears it.
import { useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { ExplanationState } from '../../state/explanation';
import type { Photo } from '../../state/photo';
import { useStore } from '../../state/store';
import { Overlay } from '../explain/Overlay';

export const READOUT_ID = 'cell-readout';

export function CellPicker({ photo, e }: { photo: Photo; e: ExplanationState }) {
  const cell = useStore((s) => s.anatomyCell);
  const setCell = useStore((s) => s.setAnatomyCell);
  const [pinned, setPinned] = useState(false);
  const heat = e.heat;
  if (heat.kind !== 'layer') return <Overlay photo={photo} e={e} />;
  const { width: w, height: h } = heat;
  const at = (ev: PointerEvent<HTMLDivElement>) => {
    const r = ev.currentTarget.getBoundingClientRect();
    const x = Math.min(w - 1, Math.max(0, Math.floor(((ev.clientX - r.left) / r.width) * w)));
    const y = Math.min(h - 1, Math.max(0, Math.floor(((ev.clientY - r.top) / r.height) * h)));
    return y * w + x;
  };
  const hottest = () => heat.values.indexOf(Math.max(...heat.values));
  const current = cell !== null && cell < w * h ? cell : null;
  const key = (ev: KeyboardEvent<HTMLDivElement>) => {
    const p = current ?? hottest();
    const x = p % w;
    const y = Math.floor(p / w);
    const moves: Record<string, [number, number]> = {
      ArrowLeft: [Math.max(0, x - 1), y],
      ArrowRight: [Math.min(w - 1, x + 1), y],
      ArrowUp: [x, Math.max(0, y - 1)],
      ArrowDown: [x, Math.min(h - 1, y + 1)],
      Home: [0, y],
      End: [w - 1, y],
    };
    const m = moves[ev.key];
    if (m) {
      ev.preventDefault();
      setCell(m[1] * w + m[0]);
      setPinned(true);
    } else if (ev.key === 'Escape' && current !== null) {
      ev.preventDefault();
      setPinned(false);
      setCell(null);
    } else if (ev.key === 'Enter' || ev.key === ' ') {
      ev.preventDefault();
      setCell(p);
      setPinned(true);
    }
  };
  return (
    <div
      className="cell-picker"
      tabIndex={0}
      role="group"
      aria-label={`Heatmap cells, ${h} rows by ${w} columns: arrow keys choose a cell, Escape clears it`}
      aria-describedby={READOUT_ID}
      data-testid="cell-picker"
      onFocus={() => current === null && setCell(hottest())}
      onPointerMove={(ev) => {
        if (ev.pointerType === 'mouse' && !pinned) setCell(at(ev));
      }}
      onClick={(ev) => {
        const p = at(ev as unknown as PointerEvent<HTMLDivElement>);
        if (pinned && p === current) {
          setPinned(false);
        } else {
          setCell(p);
          setPinned(true);
        }
      }}
      onKeyDown={key}
    >
      <Overlay photo={photo} e={e} />
      <span
        className="cell-grid"
        aria-hidden="true"
        style={{ backgroundSize: `${100 / w}% ${100 / h}%` }}
      />
      {current !== null && (
        <span
          className={`cell-mark${pinned ? ' pinned' : ''}`}
          aria-hidden="true"
          style={{
            left: `${(100 * (current % w)) / w}%`,
            top: `${(100 * Math.floor(current / w)) / h}%`,
            width: `${100 / w}%`,
            height: `${100 / h}%`,
          }}
        />
      )}
    </div>
  );
}
