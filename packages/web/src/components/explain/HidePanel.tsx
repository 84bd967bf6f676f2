// "Hide these regions and predict again", under a counterfactual map: the photo with the regions
// above a threshold blacked out, classified again, the class's probability and logit before and after.
import { useEffect, useRef } from 'react';
import { formatPercent, shortLabel } from '../../format';
import { Compositor, hideRegions } from '../../overlay/compose';
import type { ExplanationState } from '../../state/explanation';
import type { Photo } from '../../state/photo';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';

const trend = (before: number, after: number) =>
  after > before ? '(rises)' : after < before ? '(falls)' : '(unchanged)';

/** Hiding what argues against the class lowered its probability: what that means. */
function WrongWay({
  cls,
  hidden,
  logitFell,
  e,
}: {
  cls: string;
  hidden: number;
  logitFell: boolean;
  e: ExplanationState;
}) {
  const b = e.result.balance;
  return (
    <div className="wrong-way" data-testid="hide-wrong-way">
      <p>
        <strong>The wrong way:</strong> the map predicted that “{cls}” would gain, and its
        probability fell.{' '}
        {logitFell
          ? 'Its logit fell too, so the class itself lost evidence: this is not only other classes gaining.'
          : 'Its logit rose, though: the class gained, but other classes gained more.'}{' '}
        This run does not confirm the map. Possible reasons:
      </p>
      <ul>
        {b?.weak && (
          <li>
            The map is weak: its maximum is {formatPercent(b.ratio)} of the evidence for “{cls}”, so
            its hot spots were picked out of differences close to zero.
          </li>
        )}
        <li>
          Blacking out pixels also changes the features of the cells around them (their receptive
          fields overlap), which can remove evidence for “{cls}” that the map did not mark.
        </li>
        <li>
          The black patches add edges and colours unlike anything in the training photos, and the
          network reacts to them too.
        </li>
        <li>
          The map is a first-order slope around this photo; hiding {Math.round(hidden * 100)} % of
          it is a large change, which a slope does not describe.
        </li>
      </ul>
    </div>
  );
}

export function HidePanel({ photo, e }: { photo: Photo; e: ExplanationState }) {
  const preview = useRef<HTMLCanvasElement>(null);
  const compositor = useRef(new Compositor());
  const heat = e.heat;
  const threshold = useStore((s) => s.threshold);
  const setThreshold = useStore((s) => s.setThreshold);
  const m = useStore((s) => s.masked);
  const predictHidden = useStore((s) => s.predictHidden);
  useEffect(() => {
    const ctx = preview.current?.getContext('2d');
    if (!ctx || heat.kind !== 'layer') return;
    const map = compositor.current.mapAt(heat, photo.base.width, photo.base.height);
    const out = hideRegions(photo.base, map, threshold);
    ctx.putImageData(
      new ImageData(out.data as Uint8ClampedArray<ArrayBuffer>, out.width, out.height),
      0,
      0,
    );
  }, [photo, heat, threshold]);
  if (heat.kind !== 'layer') return null;
  const cls = shortLabel(e.result.target.label);
  const result = m?.result;
  const stale = m && m.threshold !== threshold;
  return (
    <div className="hide-panel">
      <h3 className="sub">Hide these regions and predict again</h3>
      <p className="hint">
        The counterfactual map marks what argues against “{cls}”. Black it out and classify again:
        if the map is right, the score of “{cls}” rises. Check the logit as well as the probability:
        the probability also rises when other classes lose, and barely moves near 0 or 1.
      </p>
      <div className="hide-body">
        <canvas
          ref={preview}
          className="hide-preview"
          width={photo.base.width}
          height={photo.base.height}
          role="img"
          aria-label={`The photo with regions above ${Math.round(threshold * 100)} % of the map blacked out`}
        />
        <div className="hide-controls">
          <label htmlFor="hide-threshold">
            Hide where the map is above <output>{Math.round(threshold * 100)} %</output>
          </label>
          <Tip
            block
            text="Lower thresholds hide more of the photo. Regions above this share of the map's maximum are painted black before classifying again."
          >
            <input
              id="hide-threshold"
              type="range"
              min={5}
              max={95}
              step={5}
              value={Math.round(threshold * 100)}
              onChange={(ev) => setThreshold(Number(ev.target.value) / 100)}
            />
          </Tip>
          <Tip text="Runs the network on the blacked-out photo (in this browser) and compares the class probability before and after.">
            <button
              type="button"
              className="btn-primary"
              onClick={() => void predictHidden()}
              disabled={m?.running}
            >
              {m?.running ? 'Predicting...' : 'Hide and predict again'}
            </button>
          </Tip>
          <div aria-live="polite">
            {result && (
              <div className={`hide-result${stale ? ' stale' : ''}`} data-testid="hide-result">
                <p>
                  “{cls}”: <strong data-testid="prob-before">{formatPercent(result.before)}</strong>{' '}
                  <span aria-hidden="true">→</span>
                  <span className="visually-hidden"> becomes </span>{' '}
                  <strong data-testid="prob-after">{formatPercent(result.after)}</strong>{' '}
                  {trend(result.before, result.after)}
                </p>
                <p data-testid="logit-change">
                  Its logit: {result.logitBefore.toFixed(2)} <span aria-hidden="true">→</span>
                  <span className="visually-hidden"> becomes </span> {result.logitAfter.toFixed(2)}{' '}
                  {trend(result.logitBefore, result.logitAfter)}
                  {trend(result.logitBefore, result.logitAfter) !==
                    trend(result.before, result.after) &&
                    ': the probability moved because other classes changed more.'}
                </p>
                <p className="hint">
                  {Math.round(result.hidden * 100)} % of the network's input hidden. Top prediction
                  now: {shortLabel(result.top.label)} ({formatPercent(result.top.probability)}).
                  {stale && ' The threshold has changed since: predict again to update.'}
                </p>
                {result.after < result.before && (
                  <WrongWay
                    cls={cls}
                    hidden={result.hidden}
                    logitFell={result.logitAfter < result.logitBefore}
                    e={e}
                  />
                )}
              </div>
            )}
            {m?.error && (
              <p className="status status-error" role="alert">
                {m.error}
              </p>
            )}
          </div>
        </div>
      </div>
    </div>
  );
}
