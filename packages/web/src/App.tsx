// The dashboard: three numbered steps, left to right, over one shared store (state/store.ts);
// the engine's work follows the store (state/pipeline.ts).
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { usePipeline } from './state/pipeline';
import { useStore } from './state/store';
import { ChooseStep } from './components/choose/ChooseStep';
import { PredictStep } from './components/predict/PredictStep';
import { ExplainStep } from './components/explain/ExplainStep';
import { Tip } from './components/Tip';
import { ModelBanner } from './components/choose/ModelBanner';
import { isModelFile } from './photo/image-input';

// The guide (with KaTeX) loads on first open only.
const LearnMore = lazy(() => import('./learn/LearnMore').then((m) => ({ default: m.LearnMore })));
const LEARN_TITLE_ID = 'learn-more-title';

/** Every file dropped: several at once are a model (model.json with its shards, labels...). */
function allFiles(list: DataTransfer | null): File[] {
  if (!list) return [];
  if (list.files.length > 0) return Array.from(list.files);
  return Array.from(list.items ?? [])
    .filter((item) => item.kind === 'file')
    .map((item) => item.getAsFile())
    .filter((f): f is File => f !== null);
}

function firstFile(list: DataTransfer | null): File | null {
  if (!list) return null;
  if (list.files.length > 0) return list.files[0];
  for (const item of Array.from(list.items ?? [])) {
    if (item.kind === 'file') return item.getAsFile();
  }
  return null;
}

export function App() {
  usePipeline();
  const backend = useStore((s) => s.backend);
  const backendError = useStore((s) => s.backendError);
  const openFile = useStore((s) => s.openFile);
  const openModelFiles = useStore((s) => s.openModelFiles);
  const [dragging, setDragging] = useState(false);
  const [learnOpen, setLearnOpen] = useState(false);
  // Where the guide opens: its top, or a paragraph a caveat links to.
  const [learnSection, setLearnSection] = useState<string | undefined>();
  const openLearn = (section?: string) => {
    setLearnSection(section);
    setLearnOpen(true);
  };
  const dialog = useRef<HTMLDialogElement>(null);

  // Drop anywhere on the page; paste from the clipboard.
  useEffect(() => {
    let depth = 0;
    const hasFiles = (e: DragEvent) => Array.from(e.dataTransfer?.types ?? []).includes('Files');
    const enter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth++;
      setDragging(true);
    };
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const leave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth = 0;
      setDragging(false);
      const files = allFiles(e.dataTransfer);
      if (files.length > 1 || files.some((f) => isModelFile(f.name))) void openModelFiles(files);
      else if (files[0]) void openFile(files[0]);
    };
    const paste = (e: ClipboardEvent) => {
      const f = firstFile(e.clipboardData);
      if (!f) return; // ordinary text paste into a field
      e.preventDefault();
      void openFile(f);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', over);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    window.addEventListener('paste', paste);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', over);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
      window.removeEventListener('paste', paste);
    };
  }, [openFile, openModelFiles]);

  useEffect(() => {
    const d = dialog.current;
    if (!d) return;
    if (learnOpen && !d.open) d.showModal();
    if (!learnOpen && d.open) d.close();
  }, [learnOpen]);

  const b = backend;
  return (
    <>
      <header className="app-header">
        <div>
          <h1>Grad-CAM Explorer</h1>
          <p className="tagline">
            See which regions raise a convolutional network&rsquo;s class score.
          </p>
        </div>
        <p className="privacy">
          <svg aria-hidden="true" viewBox="0 0 16 16" width="14" height="14" className="lock">
            <path
              d="M4.5 7V5a3.5 3.5 0 0 1 7 0v2h.5A1 1 0 0 1 13 8v6a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V8a1 1 0 0 1 1-1zm1.5 0h4V5a2 2 0 0 0-4 0z"
              fill="currentColor"
            />
          </svg>
          Runs entirely in your browser. Photos never leave this device.
        </p>
      </header>
      <ModelBanner />
      {backendError && (
        <p className="status status-error banner" role="alert">
          The engine could not run: {backendError}
        </p>
      )}
      <main className="steps-row">
        <ChooseStep onLearnMore={() => openLearn()} />
        <PredictStep />
        <ExplainStep onLearnMore={openLearn} />
      </main>
      <footer className="app-footer">
        {b ? (
          <Tip
            placement="top"
            text={`Why this backend: ${b.reason}. Started in ${Math.round(b.ms)} ms.`}
          >
            <span tabIndex={0} className="backend" data-testid="backend">
              Engine: TensorFlow.js on <strong>{b.name}</strong>
              {b.name === 'wasm' && b.threads
                ? ` (${b.threads} thread${b.threads === 1 ? '' : 's'})`
                : ''}
              {b.renderer ? ` · ${b.renderer}` : ''}
            </span>
          </Tip>
        ) : (
          !backendError && <span>Starting the engine...</span>
        )}
        <span>ImageNet networks and weights from Keras Applications</span>
      </footer>
      {dragging && (
        <div className="drop-overlay" aria-hidden="true">
          <p>Drop the photo to explain it, or your model&rsquo;s files to use it</p>
        </div>
      )}
      <dialog
        ref={dialog}
        className="learn-dialog"
        aria-labelledby={LEARN_TITLE_ID}
        onClose={() => setLearnOpen(false)}
      >
        {learnOpen && (
          <Suspense fallback={<p className="status">Loading the guide...</p>}>
            <LearnMore onClose={() => setLearnOpen(false)} section={learnSection} />
          </Suspense>
        )}
      </dialog>
    </>
  );
}
