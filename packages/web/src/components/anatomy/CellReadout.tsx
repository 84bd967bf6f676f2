// The inspected cell in words: the heatmap's value there, the weighted sum before ReLU, and the
// channels that add most to it and take most from it (each one a button to see it in detail).
import { cellContributions, type CellTerm } from '@gradcam-explorer/core/pure';
import { formatValue } from '../../format';
import { useStore } from '../../state/store';
import { READOUT_ID } from './CellPicker';
import { weightSymbol } from './Stages';
import type { AnatomyContext } from './use-anatomy';

function Terms({ list, sym, a }: { list: CellTerm[]; sym: string; a: AnatomyContext }) {
  const setChannel = useStore((s) => s.setAnatomyChannel);
  const term = a.an.weighting === 'component' ? 'A − mean' : 'A';
  return (
    <ul className="cell-terms">
      {list.map((t) => (
        <li key={t.channel}>
          <button
            type="button"
            className="link-button"
            aria-pressed={t.channel === a.channel}
            onClick={() => setChannel(t.channel)}
          >
            ch {t.channel}
          </button>{' '}
          {formatValue(t.value, true)}{' '}
          <span className="hint-inline">
            ({sym} {formatValue(t.weight, true)} × {term} {formatValue(t.term)})
          </span>
        </li>
      ))}
    </ul>
  );
}

export function CellReadout({ a }: { a: AnatomyContext | null }) {
  const cell = a?.cell ?? null;
  if (!a || cell === null) {
    return (
      <div id={READOUT_ID} className="cell-readout" aria-live="polite">
        <p className="hint">
          Point at or tap a cell of the heatmap, or focus the heatmap and use the arrow keys, to see
          which channels add most to that cell and which take most from it.
        </p>
      </div>
    );
  }
  const [h, w] = a.an.data.shape;
  const c = cellContributions(a.an, cell, 5);
  const out = a.e.result.output;
  const shown = out.kind === 'layer' ? out.values[cell] : 0;
  const sym = a.an.weighting === 'position' ? 'W' : weightSymbol(a);
  return (
    <div id={READOUT_ID} className="cell-readout" aria-live="polite" data-testid="cell-readout">
      <p>
        <strong>
          Cell row {Math.floor(cell / w) + 1}, column {(cell % w) + 1}
        </strong>{' '}
        of {h}×{w}: heatmap {formatValue(shown)} (after ReLU and division by the maximum). The
        weighted sum there, before ReLU, is {formatValue(c.raw, true)}:{' '}
        {formatValue(c.positiveSum, true)} from the channels that raise it and{' '}
        {formatValue(c.negativeSum, true)} from those that lower it.
      </p>
      <div className="cell-columns">
        <div>
          <h4>Adding most</h4>
          {c.positive.length ? <Terms list={c.positive} sym={sym} a={a} /> : <p>none</p>}
        </div>
        <div>
          <h4>Taking most</h4>
          {c.negative.length ? <Terms list={c.negative} sym={sym} a={a} /> : <p>none</p>}
        </div>
      </div>
    </div>
  );
}
