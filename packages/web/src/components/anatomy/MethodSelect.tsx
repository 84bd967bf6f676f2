// A compact method choice for "How was this computed?" (the heatmap view has the full list).
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { useStore } from '../../state/store';

export function MethodSelect() {
  const method = useStore((s) => s.method);
  const setMethod = useStore((s) => s.setMethod);
  return (
    <div className="control">
      <label htmlFor="anatomy-method">Method</label>
      <select id="anatomy-method" value={method} onChange={(ev) => setMethod(ev.target.value)}>
        {CAM_METHODS.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
          </option>
        ))}
      </select>
    </div>
  );
}
