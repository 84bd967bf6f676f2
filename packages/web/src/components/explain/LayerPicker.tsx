// The layer the map is taken at, input to output, with its size.
import { askedLayer } from '../../state/explanation';
import { modelLayers } from '../../state/model';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';

export function LayerPicker() {
  const layers = useStore(modelLayers);
  const layer = useStore(askedLayer);
  const setLayer = useStore((s) => s.setLayer);
  const layerInfo = layers.find((l) => l.name === layer);
  return (
    <div className="control">
      <label htmlFor="layer-select">Layer</label>
      <Tip text="Where in the network the map is taken, input (top) to output (bottom). Late layers are coarse but about whole objects; early layers are sharp but about edges and textures.">
        <select
          id="layer-select"
          value={layer}
          onChange={(ev) => setLayer(ev.target.value)}
          disabled={layers.length === 0}
        >
          {layers.length === 0 && <option value={layer}>{layer}</option>}
          {layers.map((l) => (
            <option key={l.name} value={l.name}>
              {l.name} · {l.height}×{l.width}×{l.channels}
              {l.isDefault ? ' (default)' : ''}
            </option>
          ))}
        </select>
      </Tip>
      {layerInfo && (
        <p className="hint">
          {layerInfo.className}, {layerInfo.height}×{layerInfo.width} positions,{' '}
          {layerInfo.channels} channels.
        </p>
      )}
    </div>
  );
}
