// The layer the map is taken at, input to output, grouped by block: each block's output by
// default, every layer (batch norms and the inside of each block included) on request.
import { useId, useMemo, useState } from 'react';
import { askedLayer } from '../../state/explanation';
import { modelLayers } from '../../state/model';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';
import { blockOutputs, groupLayers } from './layer-groups';

export function LayerPicker() {
  const layers = useStore(modelLayers);
  const layer = useStore(askedLayer);
  const setLayer = useStore((s) => s.setLayer);
  const [all, setAll] = useState(false);
  const allId = useId();
  const groups = useMemo(() => groupLayers(layers), [layers]);
  const offered = useMemo(
    () => new Set((all ? layers : blockOutputs(groups, layer)).map((l) => l.name)),
    [all, layers, groups, layer],
  );
  const layerInfo = layers.find((l) => l.name === layer);
  const group = groups.find((g) => g.layers.some((l) => l.name === layer));
  return (
    <div className="control">
      <label htmlFor="layer-select">Layer</label>
      <Tip text="Where in the network the map is taken, input (top) to output (bottom). Late layers are coarse but about whole objects; early layers are sharp but about edges and textures. Each block's output is listed; tick “all layers” for the layers inside the blocks.">
        <select
          id="layer-select"
          value={layer}
          onChange={(ev) => setLayer(ev.target.value)}
          disabled={layers.length === 0}
        >
          {layers.length === 0 && <option value={layer}>{layer}</option>}
          {groups.map((g) => {
            const shown = g.layers.filter((l) => offered.has(l.name));
            if (shown.length === 0) return null;
            return (
              <optgroup key={g.key} label={g.label}>
                {shown.map((l) => (
                  <option key={l.name} value={l.name}>
                    {l.name} · {l.height}×{l.width}×{l.channels}
                    {l.isDefault ? ' (default)' : ''}
                  </option>
                ))}
              </optgroup>
            );
          })}
        </select>
      </Tip>
      <label className="inline-check" htmlFor={allId}>
        <input
          id={allId}
          type="checkbox"
          checked={all}
          onChange={(ev) => setAll(ev.target.checked)}
          disabled={layers.length === 0}
        />
        All layers (inside the blocks, batch norms included)
      </label>
      {layerInfo && (
        <p className="hint">
          {group ? `${group.label}: ` : ''}
          {layerInfo.className}, {layerInfo.height}×{layerInfo.width} positions,{' '}
          {layerInfo.channels} channels.
        </p>
      )}
    </div>
  );
}
