// The curves' legend, and the table of every result measured on this photo.
import { formatPercent } from '../../format';
import type { Measurement } from '../../state/measurements';
import { formatAuc } from './chart';

export function Legend({ shown, previous }: { shown: Measurement; previous: Measurement | null }) {
  const sample = (cls: string) => (
    <svg width="28" height="10" aria-hidden="true">
      <line x1="1" x2="27" y1="5" y2="5" className={`line ${cls}`} />
    </svg>
  );
  return (
    <ul className="curve-legend">
      <li>
        {sample('current')} {shown.label} at <code>{shown.layer}</code> (this map)
      </li>
      {previous && (
        <li>
          {sample('previous')} {previous.label} at <code>{previous.layer}</code> (measured before,
          dashed)
        </li>
      )}
    </ul>
  );
}

export function MeasuredTable({ list, shownKey }: { list: Measurement[]; shownKey: string }) {
  return (
    <table className="auc-table" data-testid="auc-table">
      <caption>Measured on this photo</caption>
      <thead>
        <tr>
          <th scope="col">Map</th>
          <th scope="col">Class</th>
          <th scope="col">Baseline</th>
          <th scope="col" className="num">
            Deletion AUC <span className="hint-inline">(lower is better)</span>
          </th>
          <th scope="col" className="num">
            Insertion AUC <span className="hint-inline">(higher is better)</span>
          </th>
          <th scope="col" className="num">
            Image × map
          </th>
        </tr>
      </thead>
      <tbody>
        {list.map((m) => (
          <tr key={m.key} className={m.key === shownKey ? 'shown' : undefined}>
            <th scope="row">
              {m.label} <code>{m.layer}</code>
              {m.key === shownKey && <span className="tag"> shown</span>}
            </th>
            <td data-label="Class">{m.className}</td>
            <td data-label="Baseline">{m.baseline === 'blur' ? 'Blur' : 'Black'}</td>
            <td className="num" data-label="Deletion AUC (lower is better)">
              {formatAuc(m.result.deletion.auc)}
            </td>
            <td className="num" data-label="Insertion AUC (higher is better)">
              {formatAuc(m.result.insertion.auc)}
            </td>
            <td className="num" data-label="Image × map">
              {formatPercent(m.result.confidence.before)} →{' '}
              {formatPercent(m.result.confidence.after)}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
