// "How was this computed?", folded under the map: the computation of the shown result.
import { CAM_METHODS } from '@gradcam-explorer/core/pure';
import { methodMeta, type ExplanationState } from '../../state/explanation';
import { modelSpec } from '../../state/model';
import type { Photo } from '../../state/photo';
import { useStore } from '../../state/store';
import { Computation } from './Computation';

export function ComputationDetails({ photo, e }: { photo: Photo; e: ExplanationState }) {
  const chosenMethod = useStore(methodMeta);
  const colormap = useStore((s) => s.colormap);
  const inputSize = useStore((s) => modelSpec(s).inputSize);
  const shownMethod = CAM_METHODS.find((m) => m.id === e.result.method);
  return (
    <details className="computation">
      <summary>How was this computed?</summary>
      <Computation
        e={e}
        method={shownMethod ?? chosenMethod}
        colormap={colormap}
        imageSize={[photo.width, photo.height]}
        inputSize={inputSize}
      />
    </details>
  );
}
