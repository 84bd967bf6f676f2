// How the map is shown: colormap, opacity and, for pixel-level maps, signed or magnitude. Changes
// only redraw on the main thread (the repaint is timed, see perf/heatmap-timing.ts).
import { timeDisplayChange } from '../../perf/heatmap-timing';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';
import { ColormapPicker } from './ColormapPicker';

const SALIENCY_HELP =
  'Signed: mid grey is zero, bright and dark are positive and negative values of the guided gradient. It is not the true gradient, so the sign does not say whether a change raises or lowers the score. Magnitude: the size of the guided gradient, through the colormap.';

const SCALE_HELP =
  'Own maximum: every map is divided by its own maximum, so its hottest cell is full colour however weak the evidence. Shared: maps shown together use one scale, the largest raw maximum among them. Here that is this map and the opposite map of the same class (evidence for and against); in a comparison, every map of the grid.';

const timed =
  <T,>(set: (v: T) => void) =>
  (v: T) => {
    timeDisplayChange();
    set(v);
  };

export function DisplayControls() {
  const colormap = useStore((s) => s.colormap);
  const opacity = useStore((s) => s.opacity);
  const saliencyMode = useStore((s) => s.saliencyMode);
  const setColormap = useStore((s) => s.setColormap);
  const setOpacity = useStore((s) => s.setOpacity);
  const setSaliencyMode = useStore((s) => s.setSaliencyMode);
  const saliency = useStore((s) => s.explanation?.heat.kind === 'saliency');
  const scaleMode = useStore((s) => s.scaleMode);
  const setScaleMode = useStore((s) => s.setScaleMode);
  return (
    <>
      <ColormapPicker value={colormap} onChange={timed(setColormap)} />

      <div className="control">
        <label htmlFor="opacity">
          Heatmap opacity: <output htmlFor="opacity">{opacity} %</output>
        </label>
        <Tip
          block
          text="How strongly the heatmap covers the photo: 0 % shows only the photo, 100 % only the map. Only redraws, nothing is recomputed."
        >
          <input
            id="opacity"
            type="range"
            min={0}
            max={100}
            step={1}
            value={opacity}
            onChange={(ev) => timed(setOpacity)(Number(ev.target.value))}
            aria-valuetext={`${opacity} percent`}
          />
        </Tip>
      </div>

      {!saliency && (
        <fieldset className="control">
          <legend>Colour scale</legend>
          {(
            [
              ['own', 'Each map’s own maximum'],
              ['shared', 'Shared scale'],
            ] as const
          ).map(([mode, label]) => (
            <Tip key={mode} text={SCALE_HELP}>
              {(tipId) => (
                <label className="inline-radio">
                  <input
                    type="radio"
                    name="scale-mode"
                    checked={scaleMode === mode}
                    onChange={() => timed(setScaleMode)(mode)}
                    aria-describedby={tipId}
                  />
                  {label}
                </label>
              )}
            </Tip>
          ))}
        </fieldset>
      )}

      {saliency && (
        <fieldset className="control">
          <legend>Pixel gradients</legend>
          {(['deprocess', 'abs'] as const).map((mode) => (
            <Tip key={mode} text={SALIENCY_HELP}>
              {(tipId) => (
                <label className="inline-radio">
                  <input
                    type="radio"
                    name="saliency-mode"
                    checked={saliencyMode === mode}
                    onChange={() => timed(setSaliencyMode)(mode)}
                    aria-describedby={tipId}
                  />
                  {mode === 'deprocess' ? 'Signed (grey)' : 'Magnitude (colormap)'}
                </label>
              )}
            </Tip>
          ))}
        </fieldset>
      )}
    </>
  );
}
