// Method options as data: what a method declares (its `options`) and the rules pickers, the worker
// and the CLI share to read them. Plain functions, no TensorFlow.js.
import type { MethodInfo, MethodOption } from './types.js';

/** The option that counts the layer's channels (Score-CAM's `maxChannels`), when the method has one. */
export function channelOption(method: Pick<MethodInfo, 'options'>): MethodOption | undefined {
  return method.options?.find((o) => o.kind === 'channels');
}

/** A 'channels' option's value as a number of the layer's channels: 0, or at least all, is all. */
export function countedChannels(asked: number, layerChannels: number): number {
  return asked <= 0 || asked >= layerChannels ? layerChannels : asked;
}

/** The value to ask for: 0 (all) when the choice covers every channel of the layer. */
export function effectiveChannels(choice: number, layerChannels: number | undefined): number {
  if (choice <= 0) return 0;
  return layerChannels !== undefined && choice >= layerChannels ? 0 : choice;
}

/**
 * How many channels `method` uses at a layer of `layerChannels` channels with these options;
 * undefined for a method without a 'channels' option (it uses them all, no choice to report).
 */
export function channelsUsed(
  method: Pick<MethodInfo, 'options'>,
  methodOptions: Readonly<Record<string, number>> | undefined,
  layerChannels: number,
): number | undefined {
  const o = channelOption(method);
  if (!o) return undefined;
  return countedChannels(methodOptions?.[o.id] ?? o.default, layerChannels);
}

export interface OptionChoice {
  value: number;
  label: string;
}

/** A 'channels' option's picker entries: its presets below the layer's channel count, then all. */
export function channelChoices(option: MethodOption, layerChannels: number): OptionChoice[] {
  const note = (v: number, text: string) =>
    option.notes?.[v] ? `${text} (${option.notes[v]})` : text;
  const some = (option.presets ?? [])
    .filter((n) => n > 0 && n < layerChannels)
    .map((n) => ({ value: n, label: note(n, String(n)) }));
  return [...some, { value: 0, label: note(0, `all ${layerChannels}`) }];
}

/**
 * The options `method` declares, at their defaults unless `given` sets them (undefined values and
 * keys the method does not declare are left out).
 */
export function methodOptionValues(
  method: Pick<MethodInfo, 'options'>,
  given: Readonly<Record<string, number | undefined>> = {},
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of method.options ?? []) out[o.id] = given[o.id] ?? o.default;
  return out;
}
