// "Channels scored", for a method with a channel-count option (Score-CAM): fewer is faster.
import { channelChoices, channelCountOption } from '../../methods/channel-options';
import { layerChannels, shownChannels } from '../../state/explanation';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';

export function ChannelsPicker() {
  const method = useStore((s) => s.method);
  const channels = useStore(layerChannels);
  const scoreChannels = useStore(shownChannels);
  const setScoreChannels = useStore((s) => s.setScoreChannels);
  if (!channelCountOption(method) || channels === undefined) return null;
  return (
    <div className="control">
      <label htmlFor="score-channels">Channels scored</label>
      <Tip text="Score-CAM runs the network once per scored channel. Scoring only the channels whose activations vary most over the image (Faster Score-CAM) is much quicker; the others get weight 0. More channels: slower, closer to the full method. All channels is the original Score-CAM (Wang et al. 2020).">
        <select
          id="score-channels"
          value={scoreChannels}
          onChange={(ev) => setScoreChannels(Number(ev.target.value))}
        >
          {channelChoices(channels, method).map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
        </select>
      </Tip>
      <p className="hint">{scoreChannels || channels} forward passes of the network for one map.</p>
    </div>
  );
}
