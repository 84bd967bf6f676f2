// Beside the colorbar: how strong this map is against the opposite question about the same class
// (core `evidenceBalance`, measured by the worker), and a plain warning when it is weak.
import { formatPercent, formatValue, shortLabel } from '../../format';
import type { ExplanationState } from '../../state/explanation';
import { useStore } from '../../state/store';

export function EvidenceNote({ e }: { e: ExplanationState }) {
  const scaleMode = useStore((s) => s.scaleMode);
  const setScaleMode = useStore((s) => s.setScaleMode);
  const b = e.result.balance;
  if (!b || e.result.output.kind !== 'layer') return null;
  const cls = shortLabel(e.result.target.label);
  const cf = e.result.counterfactual;
  if (!cf && !b.weak) return null;
  const pct = formatPercent(b.ratio);
  const compare = cf
    ? `Evidence against “${cls}” peaks at ${formatValue(b.rawMax)}; the evidence for it (the ordinary map) peaks at ${formatValue(b.oppositeRawMax)}. This map’s maximum is ${pct} of that.`
    : `Evidence for “${cls}” peaks at ${formatValue(b.rawMax)}; the evidence against it (the counterfactual map) peaks at ${formatValue(b.oppositeRawMax)}. This map’s maximum is ${pct} of that.`;
  return (
    <div className={`evidence-note${b.weak ? ' weak' : ''}`} data-testid="evidence-note">
      {b.weak && b.rawMax === 0 && (
        <p>
          <strong>This map is empty:</strong> no position has evidence {cf ? 'against' : 'for'} “
          {cls}” at this layer.
        </p>
      )}
      {b.weak && b.rawMax > 0 && (
        <p>
          <strong>This map is weak.</strong>{' '}
          {scaleMode === 'shared'
            ? `On the shared scale it reaches ${pct} of full colour; on its own maximum it is stretched ${Math.round(1 / b.ratio)}×.`
            : `It is stretched ${Math.round(1 / b.ratio)}× to reach full colour.`}{' '}
          Its hot spots hold little evidence {cf ? 'against' : 'for'} “{cls}”, by the network’s own
          first-order account: small differences look like strong ones.
        </p>
      )}
      <p>{compare}</p>
      {b.weak && b.rawMax > 0 && scaleMode === 'own' && (
        <button type="button" className="link-button" onClick={() => setScaleMode('shared')}>
          Show it on a shared scale
        </button>
      )}
    </div>
  );
}
