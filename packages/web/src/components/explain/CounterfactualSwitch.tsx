// The counterfactual switch: the map of what argues against the class, for methods with class
// gradients to negate.
import { askedCounterfactual, methodMeta as methodMetaOf } from '../../state/explanation';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';

export function CounterfactualSwitch() {
  const methodMeta = useStore(methodMetaOf);
  const counterfactual = useStore(askedCounterfactual);
  const setCounterfactual = useStore((s) => s.setCounterfactual);
  return (
    <div className="control">
      <Tip text="Counterfactual explanation: negates the gradients, so the map shows regions that argue AGAINST the class (removing them should raise its score). Selvaraju et al., IJCV 2020, §3.3.">
        {(tipId) => (
          <label className="switch">
            <input
              type="checkbox"
              checked={counterfactual}
              disabled={!methodMeta.supportsCounterfactual}
              onChange={(ev) => setCounterfactual(ev.target.checked)}
              aria-describedby={`${tipId}${methodMeta.supportsCounterfactual ? '' : ' cf-reason'}`}
            />
            <span>Counterfactual: what argues against this class</span>
          </label>
        )}
      </Tip>
      {!methodMeta.supportsCounterfactual && (
        <p id="cf-reason" className="hint">
          Not available for {methodMeta.name}: it uses no class gradients, so there is nothing to
          negate.
        </p>
      )}
    </div>
  );
}
