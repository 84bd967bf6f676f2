// Step 1's photo: the file picker (drop and paste work anywhere, see App), what was read, or why not.
import { useRef } from 'react';
import { useStore } from '../../state/store';
import { Tip } from '../Tip';
import { SamplePhotos } from './SamplePhotos';

export function PhotoPicker() {
  const photoInput = useRef<HTMLInputElement>(null);
  const photo = useStore((s) => s.photo);
  const photoBusy = useStore((s) => s.photoBusy);
  const imageError = useStore((s) => s.imageError);
  const openFile = useStore((s) => s.openFile);
  return (
    <div className="upload">
      <h3 className="sub">Photo</h3>
      <div className="row">
        <Tip text="Opens the file picker. The photo is read in this browser only; nothing is uploaded to any server.">
          <button
            type="button"
            className="btn-primary"
            onClick={() => photoInput.current?.click()}
            aria-busy={photoBusy}
          >
            Choose a photo...
          </button>
        </Tip>
      </div>
      <input
        ref={photoInput}
        type="file"
        accept="image/*,.h5"
        hidden
        data-testid="photo-input"
        onChange={(e) => {
          const f = e.target.files?.[0];
          e.target.value = '';
          if (f) void openFile(f);
        }}
      />
      <p className="hint">Or drop a photo anywhere on this page, or paste one (Ctrl+V).</p>
      <SamplePhotos />
      {photoBusy && <p className="status">Reading the photo...</p>}
      {imageError && (
        <p className="status status-error" role="alert">
          {imageError}
        </p>
      )}
      {photo && !imageError && (
        <p className="status">
          {photo.name} · {photo.width}×{photo.height} {photo.type.toUpperCase()}
        </p>
      )}
    </div>
  );
}
