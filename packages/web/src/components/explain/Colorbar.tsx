// The colour scale under the heatmap: what low and high mean for this map, and how it is scaled.
import { formatPercent, shortLabel } from '../../format';
import type { ExplanationState } from '../../state/explanation';
import { useStore } from '../../state/store';
import { Swatch } from './ColormapPicker';

export function Colorbar({ e }: { e: ExplanationState }) {
  const colormap = useStore((s) => s.colormap);
  const saliencyMode = useStore((s) => s.saliencyMode);
  const cls = shortLabel(e.result.target.label);
  const sal = e.heat.kind === 'saliency';
  const signed = sal && saliencyMode === 'deprocess';
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
  return (
    <div className="colorbar" role="group" aria-label="Colour scale">
      {signed ? (
        <span className="grey-bar" aria-hidden="true" />
      ) : (
        <Swatch id={colormap} width={256} height={12} />
      )}
      <div className="colorbar-labels">
        <span>{low}</span>
        <span>{high}</span>
      </div>
      <p className="hint colorbar-note" data-testid="colorbar-note">
        {signed
          ? 'Guided backpropagation is not the true gradient: the sign does not predict the effect on the score, and the picture barely depends on the top layers (Adebayo et al. 2018).'
          : `Scaled to this map’s own maximum: “${cls}” (${formatPercent(e.result.target.probability)}) gets full colour somewhere, however weak its evidence. Colours cannot be compared between classes or photos.`}
      </p>
    </div>
  );
}
