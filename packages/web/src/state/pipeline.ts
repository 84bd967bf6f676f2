// The flow of work through the engine, as effects of the page: the backend starts once, the chosen
// network loads once the backend runs, a photo is classified when it and a network are both ready
// (again after a network change), and the map is computed whenever the question changes (the
// worker reuses the analysis' activations); the arrays behind a map are fetched when the view that
// takes it apart is open.
import { useEffect } from 'react';
import { askedChannels, askedCounterfactual, askedLayer, shownExplanation } from './explanation';
import { useStore } from './store';

export function usePipeline(): void {
  useEffect(() => useStore.getState().startEngine(), []);

  const backend = useStore((s) => s.backend);
  const modelId = useStore((s) => s.modelId);
  useEffect(() => {
    if (backend) void useStore.getState().loadModel(modelId);
  }, [backend, modelId]);

  const photo = useStore((s) => s.photo);
  const readyToken = useStore((s) => (s.modelStatus.kind === 'ready' ? s.modelStatus.token : null));
  const readyModel = useStore((s) =>
    s.modelStatus.kind === 'ready' ? s.modelStatus.loaded.modelId : null,
  );
  useEffect(() => {
    if (!photo || readyToken === null) return;
    useStore.getState().classify(photo, readyModel!);
  }, [photo, readyToken, readyModel]);

  const analysis = useStore((s) => s.analysis);
  const classIndex = useStore((s) => s.classIndex);
  const method = useStore((s) => s.method);
  const counterfactual = useStore(askedCounterfactual);
  const layer = useStore(askedLayer);
  const maxChannels = useStore(askedChannels);
  const retry = useStore((s) => s.retry);
  useEffect(() => {
    if (!analysis || classIndex === null || analysis.modelId !== modelId) return;
    useStore
      .getState()
      .explain(analysis, { classIndex, method, counterfactual, layer, maxChannels });
  }, [analysis, classIndex, method, counterfactual, layer, maxChannels, retry, modelId]);

  // "How was this computed?" takes the shown map apart while that view is open.
  const anatomyOpen = useStore((s) => s.explainView === 'anatomy');
  const shown = useStore(shownExplanation);
  useEffect(() => {
    if (anatomyOpen && shown) useStore.getState().loadAnatomy(shown);
  }, [anatomyOpen, shown]);
}
