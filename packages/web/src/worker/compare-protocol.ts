// The worker calls behind "Compare classes / networks / methods" and "Sanity check" (types only):
// several maps in one job, one photo on another network, and the cascading randomisation test.
import type { SanityResult, SanityStage } from '@gradcam-explorer/core/pure';
import type {
  FaithfulnessBaseline,
  LayerMapDto,
  ModelSource,
  PredictionDto,
  SaliencyDto,
} from './protocol';

/** One map to compute on the kept analysis. */
export interface ExplainItem {
  method: string;
  classIndex: number;
  /** Used by layer methods; pixel-level methods ignore it. */
  layer: string;
  /** Score-CAM: channels to score (0 = all). */
  maxChannels?: number;
}

export interface ExplainSetRequest {
  gen: number;
  epoch: number;
  items: ExplainItem[];
  /** Also measure each map's faithfulness (core `faithfulness`: deletion / insertion curves). */
  measure?: { baseline: FaithfulnessBaseline; steps?: number };
}

/** Deletion / insertion AUCs and the average drop of one map (Petsiuk et al. 2018). */
export interface FaithfulnessSummary {
  baseline: FaithfulnessBaseline;
  deletion: number;
  insertion: number;
  /** Chattopadhay et al. 2018, eq. 9, in %. */
  averageDrop: number;
}

export interface ExplainSetEntry {
  method: string;
  classIndex: number;
  layer: string;
  target: PredictionDto;
  output: LayerMapDto | SaliencyDto;
  /** Score-CAM: channels actually scored. */
  channelsScored?: number;
  ms: number;
  faithfulness?: FaithfulnessSummary;
}

export interface ExplainSetResult {
  gen: number;
  /** One per item, in order: the entry, or why that one failed. */
  entries: Array<{ ok: ExplainSetEntry } | { error: string }>;
}

/** The photo on one network (the loaded one, or another built just for this and then dropped). */
export interface NetworkExplainRequest {
  epoch: number;
  modelId: string;
  /** 'loaded': the network the page has loaded (must be `modelId`); else where its weights are. */
  source: ModelSource | { kind: 'loaded' };
  /** The photo's file, decoded here as Keras decodes it. */
  image: Blob;
  classIndex: number;
  method: string;
  /** Score-CAM: channels to score (0 = all). */
  maxChannels?: number;
}

export interface NetworkExplainResult {
  modelId: string;
  /** The network's default layer, where its map is computed, and that layer's grid. */
  layer: string;
  grid: { height: number; width: number; channels: number };
  inputSize: number;
  /** Its three most probable classes. */
  predictions: PredictionDto[];
  /** The compared class on this network. */
  target: PredictionDto;
  output: LayerMapDto | SaliencyDto;
  /** Loading (0 for the loaded network) and explaining, in milliseconds. */
  loadMs: number;
  ms: number;
}

export interface SanityRequest {
  gen: number;
  epoch: number;
  classIndex: number;
  methods: string[];
  layer: string;
  maxChannels?: number;
}

/** Core's `SanityResult` with every map kept (`steps[i].methods[m].map`). */
export type SanityDto = SanityResult & { gen: number };

export type { SanityStage };

/** The worker's calls for comparisons and the sanity check (part of `EngineApi`). */
export interface CompareApi {
  explainSet(
    req: ExplainSetRequest,
    onProgress?: (fraction: number) => void,
  ): Promise<ExplainSetResult>;
  explainOnNetwork(
    req: NetworkExplainRequest,
    onStage?: (stage: 'load' | 'explain') => void,
  ): Promise<NetworkExplainResult>;
  /**
   * The cascading randomisation test on the kept analysis' photo. The network is randomised in
   * place and its trained weights restored before the call returns, also when cancelled.
   */
  sanity(
    req: SanityRequest,
    onProgress?: (fraction: number, stage: SanityStage) => void,
  ): Promise<SanityDto>;
}
