// One sentence beside the heatmap: what kind of statement any of these maps is.
import { LEARN_LOCAL_ID } from '../../learn/links';

export function MapCaveat({
  kind,
  onLearnMore,
}: {
  kind: string;
  onLearnMore(section?: string): void;
}) {
  return (
    <p className="hint map-caveat" data-testid="map-caveat">
      {kind === 'gradient-free'
        ? 'A local attribution for this one photo.'
        : 'A local, first-order attribution: a linearisation of the score around this one photo.'}{' '}
      It is not a causal proof, nor how the model behaves on other photos.{' '}
      <button type="button" className="link-button" onClick={() => onLearnMore(LEARN_LOCAL_ID)}>
        What this means
      </button>
    </p>
  );
}
