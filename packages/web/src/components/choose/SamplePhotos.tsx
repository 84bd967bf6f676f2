// One-click sample photos, when the deployment ships some: `samples/index.json` beside the page
// lists them with their licence (the repository's list is empty). With no samples, nothing is shown. A sample
// goes through the same path as a file the user picks.
import { useEffect, useState } from 'react';
import { useStore } from '../../state/store';

export interface SampleList {
  samples: { file: string; name: string }[];
  /** One line naming each photo's source and licence, shown under the buttons. */
  licence: string;
  /** A file beside index.json with the full sources and licence texts. */
  notice?: string;
}

const isSampleList = (x: unknown): x is SampleList => {
  const l = x as SampleList;
  return (
    !!l &&
    typeof l.licence === 'string' &&
    Array.isArray(l.samples) &&
    l.samples.every((s) => typeof s?.file === 'string' && typeof s?.name === 'string')
  );
};

export function SamplePhotos() {
  const openFile = useStore((s) => s.openFile);
  const [list, setList] = useState<SampleList | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    fetch('samples/index.json')
      .then((r) => (r.ok ? r.json() : null))
      .then((x: unknown) => live && isSampleList(x) && x.samples.length > 0 && setList(x))
      .catch(() => undefined); // No samples in this deployment.
    return () => {
      live = false;
    };
  }, []);
  if (!list) return null;
  const open = async (s: SampleList['samples'][number]) => {
    setError(null);
    try {
      const res = await fetch(`samples/${s.file}`);
      if (!res.ok) throw new Error(`the server answered ${res.status}`);
      const blob = await res.blob();
      await openFile(new File([blob], s.file, { type: blob.type }));
    } catch (e) {
      setError(`The sample could not be loaded: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  return (
    <div className="samples">
      <p className="samples-title" id="samples-title">
        Or try a sample:
      </p>
      <ul className="sample-list" aria-labelledby="samples-title">
        {list.samples.map((s) => (
          <li key={s.file}>
            <button type="button" className="sample" onClick={() => void open(s)}>
              <img src={`samples/${s.file}`} alt="" width={44} height={44} />
              <span>{s.name}</span>
            </button>
          </li>
        ))}
      </ul>
      <p className="hint samples-licence">
        {list.licence}{' '}
        {list.notice && (
          <a href={`samples/${list.notice}`} target="_blank" rel="noopener noreferrer">
            Sources and licences
            <span className="visually-hidden"> (opens in a new tab)</span>
          </a>
        )}
      </p>
      {error && (
        <p className="status status-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
