// Side-by-side comparisons of the photo on screen: its top classes, every network with weights,
// every method (with faithfulness). Each keeps its results until the photo changes: a new network,
// class or method asks for a new run but does not throw away what was computed (a comparison
// names the network, class and method it was made with).
import * as Comlink from 'comlink';
import { CAM_METHODS, MODELS } from '@gradcam-explorer/core/pure';
import { engine, isCancel } from '../engine/engine-client';
import { channelCountOption, DEFAULT_SCORE_CHANNELS } from '../methods/channel-options';
import { fetchWithProgress, serverFileVersion } from '../weights/weights-net';
import { pickStored } from '../weights/weights-source';
import type {
  ExplainItem,
  ExplainSetEntry,
  NetworkExplainRequest,
  NetworkExplainResult,
} from '../worker/compare-protocol';
import type { FaithfulnessBaseline } from '../worker/protocol';
import { askedChannels, askedLayer } from './explanation';
import { specOf } from './model';
import { errorMessage, IDLE_RUN, withProgress, type Run } from './run';
import type { Slice, Store } from './store';
import { generation } from './work';

/** A map computed for a comparison, or why it could not be. */
export type CompareCell = { ok: ExplainSetEntry } | { error: string };

/** What every comparison records about the question it answered. */
export interface ComparedQuestion {
  /** Its question's key (`classesKey`, `networksKey`, `methodsKey`): stale when it differs. */
  key: string;
  photoId: number;
  /** The network it ran on (classes, methods) or the class's network of reference (networks). */
  modelId: string;
  method: string;
  classIndex: number;
  className: string;
}

export interface ClassesComparison extends ComparedQuestion {
  layer: string;
  /** One per class, most probable first. */
  cells: Array<{ classIndex: number; cell: CompareCell }>;
}

export interface MethodsComparison extends ComparedQuestion {
  layer: string;
  baseline: FaithfulnessBaseline;
  /** One per method, in the registry's order. */
  cells: Array<{ method: string; cell: CompareCell }>;
}

export type NetworkCell =
  | { kind: 'waiting' }
  | { kind: 'fetching'; fraction: number | null }
  | { kind: 'loading' }
  | { kind: 'explaining' }
  | { kind: 'done'; result: NetworkExplainResult }
  /** No weights on this computer or in this browser. */
  | { kind: 'missing' }
  | { kind: 'cancelled' }
  | { kind: 'error'; message: string };

export interface NetworksComparison extends ComparedQuestion {
  /** Per network id, in the registry's order. */
  cells: Record<string, NetworkCell>;
}

export type ComparisonKind = 'classes' | 'networks' | 'methods';

export interface CompareSlice {
  classesCmp: ClassesComparison | null;
  networksCmp: NetworksComparison | null;
  methodsCmp: MethodsComparison | null;
  compareRuns: Record<ComparisonKind, Run>;
  /** The top-k classes (k as listed in step 2) with the current method and layer. */
  compareClasses(): Promise<void>;
  /** The current class and method on every network whose weights are available. */
  compareNetworks(): Promise<void>;
  /** Every method on the current class and layer, each with its deletion / insertion scores. */
  compareMethods(): Promise<void>;
  cancelComparison(kind: ComparisonKind): void;
}

const IDLE_RUNS: Record<ComparisonKind, Run> = {
  classes: IDLE_RUN,
  networks: IDLE_RUN,
  methods: IDLE_RUN,
};

/** A comparison of the photo on screen (null once the photo has changed). */
export const current = <T extends ComparedQuestion>(s: Store, c: T | null): T | null =>
  c && s.photo && c.photoId === s.photo.id ? c : null;

export const shownClasses = (s: Store) => current(s, s.classesCmp);
export const shownNetworks = (s: Store) => current(s, s.networksCmp);
export const shownMethods = (s: Store) => current(s, s.methodsCmp);

/** The question the page asks now: the photo, its network, the class, method and layer. */
function question(s: Store) {
  const a = s.analysis;
  if (!s.photo || !a || a.photoId !== s.photo.id || s.classIndex === null) return null;
  const target = a.predictions.find((p) => p.index === s.classIndex);
  return {
    photo: s.photo,
    analysis: a,
    classIndex: s.classIndex,
    className: target?.label ?? `class ${s.classIndex}`,
    method: s.method,
    layer: askedLayer(s),
    maxChannels: askedChannels(s),
  };
}

/** What every comparison records of the question it answered. */
function about(q: NonNullable<ReturnType<typeof question>>) {
  return {
    photoId: q.photo.id,
    modelId: q.analysis.modelId,
    method: q.method,
    classIndex: q.classIndex,
    className: q.className,
  };
}

/** The main map of the question is computed (a comparison asked before it would be cancelled). */
export const explanationSettled = (s: Store): boolean =>
  !s.explainRun.running && !!s.explanation && s.explanation.result.gen === s.analysis?.gen;

/** What the classes comparison depends on: the analysis, method, layer, channels and k. */
export function classesKey(s: Store): string | null {
  const q = question(s);
  return q && [q.photo.id, q.analysis.gen, q.method, q.layer, q.maxChannels ?? '', s.k].join('|');
}

/** What the methods comparison depends on: the analysis, class, layer, baseline and channels. */
export function methodsKey(s: Store): string | null {
  const q = question(s);
  return (
    q && [q.photo.id, q.analysis.gen, q.classIndex, q.layer, s.baseline, s.scoreChannels].join('|')
  );
}

/** What the networks comparison depends on: the photo, class, method and channels. */
export function networksKey(s: Store): string | null {
  const q = question(s);
  return q && [q.photo.id, q.classIndex, q.method, s.scoreChannels].join('|');
}

/** Score-CAM's channel count for `method` (the default when it is not the current method). */
const channelsFor = (s: Store, method: string): number | undefined =>
  channelCountOption(method)
    ? method === s.method
      ? askedChannels(s)
      : DEFAULT_SCORE_CHANNELS
    : undefined;

export const createCompareSlice: Slice<CompareSlice> = (set, get) => {
  const seqs: Record<ComparisonKind, number> = { classes: 0, networks: 0, methods: 0 };
  const setRun = (kind: ComparisonKind, run: Run) =>
    set((s) => ({ compareRuns: { ...s.compareRuns, [kind]: run } }));
  const progress = (kind: ComparisonKind, seq: number) =>
    Comlink.proxy((f: number) => {
      if (seq === seqs[kind]) {
        set((s) => ({
          compareRuns: { ...s.compareRuns, [kind]: withProgress(s.compareRuns[kind], f) },
        }));
      }
    });
  const failed = (kind: ComparisonKind, seq: number, e: unknown) => {
    if (seq !== seqs[kind]) return;
    setRun(
      kind,
      isCancel(e) ? { ...IDLE_RUN, cancelled: true } : { ...IDLE_RUN, error: errorMessage(e) },
    );
  };

  /** Runs `items` on the kept analysis; the cells in order, or null when the answer is stale. */
  const explainSet = async (
    kind: ComparisonKind,
    seq: number,
    gen: number,
    items: ExplainItem[],
    measure?: { baseline: FaithfulnessBaseline },
  ): Promise<CompareCell[] | null> => {
    const c = engine();
    const r = await c.api.explainSet(
      { gen, epoch: c.epoch(), items, measure },
      progress(kind, seq),
    );
    if (seq !== seqs[kind] || r.gen !== generation()) return null;
    return r.entries;
  };

  return {
    classesCmp: null,
    networksCmp: null,
    methodsCmp: null,
    compareRuns: IDLE_RUNS,

    async compareClasses() {
      const s = get();
      const q = question(s);
      if (!q) return;
      const seq = ++seqs.classes;
      const top = q.analysis.predictions.slice(0, s.k);
      setRun('classes', { ...IDLE_RUN, running: true, progress: 0 });
      try {
        const cells = await explainSet(
          'classes',
          seq,
          q.analysis.gen,
          top.map((p) => ({
            method: q.method,
            classIndex: p.index,
            layer: q.layer,
            maxChannels: q.maxChannels,
          })),
        );
        if (!cells) return;
        set({
          classesCmp: {
            key: classesKey(s)!,
            ...about(q),
            layer: q.layer,
            cells: top.map((p, i) => ({ classIndex: p.index, cell: cells[i] })),
          },
        });
        setRun('classes', IDLE_RUN);
      } catch (e) {
        failed('classes', seq, e);
      }
    },

    async compareMethods() {
      const s = get();
      const q = question(s);
      if (!q) return;
      const seq = ++seqs.methods;
      const baseline = s.baseline;
      setRun('methods', { ...IDLE_RUN, running: true, progress: 0 });
      try {
        const cells = await explainSet(
          'methods',
          seq,
          q.analysis.gen,
          CAM_METHODS.map((m) => ({
            method: m.id,
            classIndex: q.classIndex,
            layer: q.layer,
            maxChannels: channelsFor(s, m.id),
          })),
          { baseline },
        );
        if (!cells) return;
        set({
          methodsCmp: {
            key: methodsKey(s)!,
            ...about(q),
            layer: q.layer,
            baseline,
            cells: CAM_METHODS.map((m, i) => ({ method: m.id, cell: cells[i] })),
          },
        });
        setRun('methods', IDLE_RUN);
      } catch (e) {
        failed('methods', seq, e);
      }
    },

    async compareNetworks() {
      const s = get();
      const q = question(s);
      if (!q) return;
      const seq = ++seqs.networks;
      const live = () => seq === seqs.networks && get().photo?.id === q.photo.id;
      const c = engine();
      const epoch = c.epoch();
      const cells: Record<string, NetworkCell> = Object.fromEntries(
        MODELS.map((m) => [m.id, { kind: 'waiting' } as NetworkCell]),
      );
      const cellSet = (id: string, cell: NetworkCell) => {
        if (!live()) return;
        set((st) => {
          const old = st.networksCmp;
          return old ? { networksCmp: { ...old, cells: { ...old.cells, [id]: cell } } } : {};
        });
      };
      set({
        networksCmp: {
          key: networksKey(s)!,
          ...about(q),
          cells,
        },
      });
      setRun('networks', { ...IDLE_RUN, running: true, progress: 0 });
      const maxChannels = channelsFor(s, q.method);
      let done = 0;
      let cancelled = false;
      for (const spec of MODELS) {
        if (!live()) return;
        const id = spec.id;
        if (cancelled) {
          cellSet(id, { kind: 'cancelled' });
          continue;
        }
        try {
          const st = get();
          const ready = st.modelStatus.kind === 'ready' ? st.modelStatus.loaded : null;
          const entry = st.serverModels?.find((m) => m.id === id);
          let source: NetworkExplainRequest['source'] | null = null;
          if (ready?.modelId === id) source = { kind: 'loaded' };
          else {
            const version = entry?.available
              ? await serverFileVersion(entry.fileName, entry.bytes)
              : null;
            const stored = pickStored(st.cached, id, version);
            if (stored) source = { kind: 'cache', id: stored.id };
            else if (entry?.available && version !== null) {
              cellSet(id, { kind: 'fetching', fraction: 0 });
              const bytes = await fetchWithProgress(
                `weights/${encodeURIComponent(entry.fileName)}`,
                (p) => cellSet(id, { kind: 'fetching', fraction: p.receivedBytes / p.totalBytes }),
                undefined,
                entry.bytes,
              );
              if (!live()) return;
              source = {
                kind: 'bytes',
                bytes,
                origin: { kind: 'server', fileName: entry.fileName, version },
              };
            }
          }
          if (!source) {
            cellSet(id, { kind: 'missing' });
          } else {
            cellSet(id, { kind: source.kind === 'loaded' ? 'explaining' : 'loading' });
            const req: NetworkExplainRequest = {
              epoch,
              modelId: id,
              source,
              image: q.photo.file,
              classIndex: q.classIndex,
              method: q.method,
              maxChannels,
            };
            const result = await c.api.explainOnNetwork(
              source.kind === 'bytes' ? Comlink.transfer(req, [source.bytes]) : req,
              Comlink.proxy((stage: 'load' | 'explain') =>
                cellSet(id, { kind: stage === 'load' ? 'loading' : 'explaining' }),
              ),
            );
            cellSet(id, { kind: 'done', result });
          }
        } catch (e) {
          if (isCancel(e)) {
            cancelled = true;
            cellSet(id, { kind: 'cancelled' });
          } else cellSet(id, { kind: 'error', message: errorMessage(e) });
        }
        done++;
        if (live()) {
          set((st) => ({
            compareRuns: {
              ...st.compareRuns,
              networks: withProgress(st.compareRuns.networks, done / MODELS.length),
            },
          }));
        }
      }
      if (live()) setRun('networks', cancelled ? { ...IDLE_RUN, cancelled: true } : IDLE_RUN);
    },

    cancelComparison(kind) {
      seqs[kind]++;
      engine().cancelAll();
      setRun(kind, { ...IDLE_RUN, cancelled: true });
      if (kind === 'networks') {
        // Networks not reached yet say so (those done keep their maps).
        set((s) => {
          const n = s.networksCmp;
          if (!n) return {};
          const cells = Object.fromEntries(
            Object.entries(n.cells).map(([id, cell]) => [
              id,
              cell.kind === 'done' || cell.kind === 'missing' || cell.kind === 'error'
                ? cell
                : ({ kind: 'cancelled' } as NetworkCell),
            ]),
          );
          return { networksCmp: { ...n, cells } };
        });
      }
    },
  };
};

/** How to get a network's weights: where to click, or which file to put where. */
export function howToGetWeights(
  modelId: string,
  serverKnown: boolean,
): { size: string; fileName: string; steps: string } {
  const spec = specOf(modelId);
  return {
    size: `${Math.round(spec.weights.bytes / 1e6)} MB`,
    fileName: spec.weights.fileName,
    steps: serverKnown
      ? `choose ${spec.name} in step 1 and press Download, or put this file in the folder named by GRADCAM_WEIGHTS_DIR and restart the server:`
      : `choose ${spec.name} in step 1 and load its weights file:`,
  };
}
