// The colour scale under the heatmap: what low and high mean for this map, the raw value full
// colour stands for (its own maximum, or the scale it shares), and whether the map is weak.
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { formatPercent, formatValue, shortLabel } from '../../format';
import type { ExplanationState } from '../../state/explanation';
import { heatmapScale } from '../../state/scale';
import { useStore } from '../../state/store';
import { Swatch } from './ColormapPicker';
import { EvidenceNote } from './EvidenceNote';

export function Colorbar({ e }: { e: ExplanationState }) {
  const colormap = useStore((s) => s.colormap);
  const saliencyMode = useStore((s) => s.saliencyMode);
  const scaleMode = useStore((s) => s.scaleMode);
  const cls = shortLabel(e.result.target.label);
  const sal = e.heat.kind === 'saliency';
  const signed = sal && saliencyMode === 'deprocess';
  const scale = heatmapScale(e, scaleMode);
  let low: string;
  let high: string;
  if (signed) {
    low = 'Dark: negative guided gradient';
    high = 'Bright: positive guided gradient';
  } else if (sal) {
    low = 'Low: small guided gradient';
    high = `High: large guided gradient for “${cls}”`;
  } else if (e.result.counterfactual) {
    low = `Low: no evidence against “${cls}”`;
    high = `High: strongest evidence against “${cls}”`;
  } else {
    low = `Low: no evidence for “${cls}”`;
    high = `High: strongest evidence for “${cls}”`;
  }
  const opposite = e.result.counterfactual ? 'the evidence for it' : 'the evidence against it';
  let note: string;
  if (signed) {
    note =
      'Guided backpropagation is not the true gradient: the sign does not predict the effect on the score, and the picture barely depends on the top layers (Adebayo et al. 2018).';
  } else if (scale?.shared) {
    note = `Shared scale: this map and ${opposite} (same method, gradients negated) on one scale. Full colour is ${formatValue(scale.top)}, the larger of the two raw maxima; this map reaches ${formatPercent(scale.gain)} of it.`;
  } else {
    note = `Scaled to this map’s own maximum: “${cls}” (${formatPercent(e.result.target.probability)}) gets full colour somewhere, however weak its evidence. Colours cannot be compared between classes or photos.`;
    if (scaleMode === 'shared' && scale) {
      const method = CAM_METHODS.find((m) => m.id === e.result.method);
      note += ` ${method?.name ?? 'This method'} has no counterfactual, so there is no opposite map to share a scale with.`;
    }
  }
  // Where this map's own maximum sits on a shared bar.
  const marker = scale?.shared && scale.gain < 1 ? scale.gain : null;
  return (
    <div className="colorbar" role="group" aria-label="Colour scale">
      <div className="colorbar-bar">
        {signed ? (
          <span className="grey-bar" aria-hidden="true" />
        ) : (
          <Swatch id={colormap} width={256} height={12} />
        )}
        {marker !== null && (
          <span
            className="colorbar-marker"
            style={{ left: `${(100 * marker).toFixed(2)}%` }}
            aria-hidden="true"
          />
        )}
      </div>
      {scale && (
        <div className="colorbar-ticks" data-testid="colorbar-scale">
          <span>0</span>
          {marker !== null && (
            <span className="colorbar-this">this map’s maximum: {formatValue(scale.rawMax)}</span>
          )}
          <span>
            {formatValue(scale.top)}
            {scale.shared
              ? ' = the larger maximum (before scaling)'
              : ' = this map’s maximum before scaling'}
          </span>
        </div>
      )}
      <div className="colorbar-labels">
        <span>{low}</span>
        <span>{high}</span>
      </div>
      <p className="hint colorbar-note" data-testid="colorbar-note">
        {note}
      </p>
      <EvidenceNote e={e} />
    </div>
  );
}
