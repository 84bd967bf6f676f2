// "Download PNG": the overlay at the photo's full resolution, with the current display settings.
import { useState } from 'react';
import { shortLabel } from '../../format';
import { Compositor, type ComposeOptions } from '../../overlay/compose';
import { decodeImage } from '../../photo/image-input';
import type { ExplanationState } from '../../state/explanation';
import { modelSpec } from '../../state/model';
import type { Photo } from '../../state/photo';
import { heatmapScale } from '../../state/scale';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';

async function downloadPng(
  photo: Photo,
  e: ExplanationState,
  display: ComposeOptions,
  modelId: string,
): Promise<void> {
  // Full resolution: decode the original again, compose with a fresh compositor.
  const bitmap = await decodeImage(photo.file);
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  ctx.drawImage(bitmap, 0, 0);
  bitmap.close();
  const base = ctx.getImageData(0, 0, canvas.width, canvas.height);
  const out = new Compositor().compose(
    { width: base.width, height: base.height, data: base.data },
    e.heat,
    display,
  );
  ctx.putImageData(
    new ImageData(out.data as Uint8ClampedArray<ArrayBuffer>, out.width, out.height),
    0,
    0,
  );
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
  if (!blob) throw new Error('The browser could not encode the PNG');
  const stem = photo.name.replace(/\.[^.]+$/, '');
  const parts = [
    stem,
    modelId,
    e.result.method,
    e.result.counterfactual ? 'counterfactual' : null,
    shortLabel(e.result.target.label).replace(/[^\w-]+/g, '_'),
  ];
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = `${parts.filter(Boolean).join('-')}.png`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

export function DownloadPng({ photo, e }: { photo: Photo; e: ExplanationState }) {
  const [downloadError, setDownloadError] = useState<string | null>(null);
  const save = () => {
    const s = useStore.getState();
    const display = {
      colormap: s.colormap,
      opacity: s.opacity / 100,
      saliencyMode: s.saliencyMode,
      gain: heatmapScale(e, s.scaleMode)?.gain ?? 1,
    };
    setDownloadError(null);
    downloadPng(photo, e, display, modelSpec(s).id).catch((err) =>
      setDownloadError(String(err?.message ?? err)),
    );
  };
  return (
    <div className="row">
      <Tip text="Saves the overlay at the photo's full resolution, with the current method, colormap, opacity and colour scale.">
        <button type="button" className="btn-secondary" onClick={save}>
          Download PNG
        </button>
      </Tip>
      {downloadError && (
        <p className="status status-error" role="alert">
          {downloadError}
        </p>
      )}
    </div>
  );
}
