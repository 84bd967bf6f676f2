// Installs window.__gradcamTest (see test-hooks.ts). It only watches: the store, and the heatmaps
// the overlay draws; nothing in the app writes to it.
import { engine } from '../engine/engine-client';
import { onHeatmapDrawn } from '../perf/heatmap-timing';
import { useStore, type Store } from '../state/store';
import type { TestHooks } from './test-hooks';

export function installTestHooks(): TestHooks {
  const hooks: TestHooks = {
    workerMessages: () => engine().sent,
    composeCount: 0,
    lastMap: null,
    explained: null,
    backend: null,
    predictions: null,
    modelReady: false,
  };
  const watch = (s: Store, prev: Store | null) => {
    hooks.backend = s.backend;
    hooks.modelReady = s.modelStatus.kind === 'ready';
    // Only a new classification replaces them (tests may set them to null and wait).
    if (s.analysis && s.analysis !== prev?.analysis) hooks.predictions = s.analysis.predictions;
    if (!s.explanation && prev?.explanation) {
      hooks.lastMap = null;
      hooks.explained = null;
    }
  };
  watch(useStore.getState(), null);
  useStore.subscribe(watch);
  onHeatmapDrawn(({ heat: h, result: r }) => {
    hooks.composeCount++;
    hooks.lastMap = {
      width: h.width,
      height: h.height,
      values: Array.from(h.kind === 'layer' ? h.values : h.magnitude),
    };
    hooks.explained = {
      method: r.method,
      layer: r.layer,
      counterfactual: r.counterfactual,
      classIndex: r.target.index,
      channels: r.channelsScored,
    };
  });
  window.__gradcamTest = hooks;
  return hooks;
}
