// Step 3's views, in tab order. A view is one entry here: its id (state `explainView`), the tab's
// accessible name and the component that renders it. Only the chosen view is mounted; its state
// lives in the store, so switching back finds it as it was.
import type { ComponentType } from 'react';
import { AnatomyView } from '../anatomy/AnatomyView';
import { CompareClassesView } from '../compare/CompareClassesView';
import { CompareMethodsView } from '../compare/CompareMethodsView';
import { CompareNetworksView } from '../compare/CompareNetworksView';
import { SanityView } from '../sanity/SanityView';
import { HeatmapView } from './HeatmapView';

export interface ExplainViewProps {
  /** Opens the guide, at the element with id `section` when given. */
  onLearnMore(section?: string): void;
}

export interface ExplainView {
  id: string;
  /** The tab's text and accessible name. */
  label: string;
  Panel: ComponentType<ExplainViewProps>;
}

export const EXPLAIN_VIEWS: ExplainView[] = [
  { id: 'heatmap', label: 'Heatmap', Panel: HeatmapView },
  { id: 'anatomy', label: 'How was this computed?', Panel: AnatomyView },
  { id: 'compare-classes', label: 'Compare classes', Panel: CompareClassesView },
  { id: 'compare-networks', label: 'Compare networks', Panel: CompareNetworksView },
  { id: 'compare-methods', label: 'Compare methods', Panel: CompareMethodsView },
  { id: 'sanity', label: 'Sanity check', Panel: SanityView },
];
