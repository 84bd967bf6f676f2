// The method registry's citations, checked against one edition per paper. Papers with two editions
// number their sections differently (Grad-CAM: ICCV 2017 vs IJCV 2020), so a section or equation
// number is only meaningful with the edition it comes from. This test pins, per paper, the edition
// the app cites and the equation/section/algorithm numbers that exist in it, and scans the sources
// for a citation of another edition.
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CAM_METHODS } from './registry.js';

interface Paper {
  /** `Authors, "Short title"`, as the citations start. */
  cites: string;
  /** The one edition cited: what follows the title in every citation. */
  edition: string;
  /** Locators that exist in that edition and that the app may cite. */
  locators: readonly string[];
}

const PAPERS: readonly Paper[] = [
  {
    // IJCV 128(2), 2020, doi:10.1007/s11263-019-01228-7: eq. 1 (alpha) and 2 (map) in section 3;
    // 3.1 "Grad-CAM generalizes CAM", 3.2 "Guided Grad-CAM", 3.3 "Counterfactual Explanations".
    cites: 'Selvaraju et al., "Grad-CAM"',
    edition: 'IJCV 2020',
    locators: ['eq. 1', 'eq. 2', '§3', '§3.1', '§3.2', '§3.3'],
  },
  {
    // CVPRW 2020, doi:10.1109/CVPRW50498.2020.00020: eq. 6-8 the masks (CIC, upsampling,
    // normalisation), eq. 9-10 the map and its weights; Algorithm 1 in section 3.2.
    cites: 'Wang et al., "Score-CAM"',
    edition: 'CVPR Workshops 2020',
    locators: ['eq. 6', 'eq. 7', 'eq. 8', 'eq. 9', 'eq. 10', 'Algorithm 1', '§3.1', '§3.2'],
  },
  {
    cites: 'Chattopadhay et al., "Grad-CAM++"',
    edition: 'WACV 2018',
    locators: ['eq. 19'],
  },
  { cites: 'Fu et al., "Axiom-based Grad-CAM"', edition: 'BMVC 2020', locators: ['eq. 9'] },
  {
    cites: 'Draelos & Carin, "Use HiResCAM instead of Grad-CAM"',
    edition: 'arXiv 2011.08891',
    locators: ['eq. 5'],
  },
  { cites: 'Jiang et al., "LayerCAM"', edition: 'IEEE TIP 2021', locators: ['eq. 6', 'eq. 7'] },
  { cites: 'Muhammad & Yeasin, "Eigen-CAM"', edition: 'IJCNN 2020', locators: ['eq. 6'] },
  {
    cites: 'Springenberg et al., "Striving for Simplicity"',
    edition: 'ICLR Workshop 2015',
    locators: ['§3.4'],
  },
];

/** "eq. 9-10 and Algorithm 1" -> ["eq. 9", "eq. 10", "Algorithm 1"]; "section 3.4" -> "§3.4". */
function expandLocators(text: string): string[] {
  return text
    .split(/, | and /)
    .map((s) => s.trim().replace(/^section /, '§'))
    .flatMap((s) => {
      const range = /^eq\. (\d+)-(\d+)$/.exec(s);
      if (!range) return [s];
      const [from, to] = [Number(range[1]), Number(range[2])];
      return Array.from({ length: to - from + 1 }, (_, i) => `eq. ${from + i}`);
    });
}

/** Splits a citation into its paper, edition and locators; null when no paper matches. */
function parse(citation: string): { paper: Paper; edition: string; locators: string[] } | null {
  const paper = PAPERS.find((p) => citation.startsWith(`${p.cites}, `));
  if (!paper) return null;
  const rest = citation.slice(paper.cites.length + 2);
  const edition = PAPERS.map((p) => p.edition)
    .filter((e) => rest === e || rest.startsWith(`${e}, `))
    .sort((a, b) => b.length - a.length)[0];
  if (edition === undefined) return { paper, edition: rest, locators: [] };
  const tail = rest.slice(edition.length + 2);
  return { paper, edition, locators: tail ? expandLocators(tail) : [] };
}

describe('method registry citations', () => {
  it('expands locator lists', () => {
    expect(expandLocators('eq. 9-10 and Algorithm 1')).toEqual(['eq. 9', 'eq. 10', 'Algorithm 1']);
    expect(expandLocators('section 3.4')).toEqual(['§3.4']);
    expect(expandLocators('eq. 1, §3.3')).toEqual(['eq. 1', '§3.3']);
  });

  it.each(CAM_METHODS.map((m) => [m.id, m.citation]))(
    '%s cites a known paper, its one edition, and locators that exist there',
    (_id, citation) => {
      const parsed = parse(citation);
      expect(parsed, `no known paper in "${citation}"`).not.toBeNull();
      const { paper, edition, locators } = parsed!;
      expect(edition, citation).toBe(paper.edition);
      expect(
        locators.length,
        `${citation}: name the equation, section or algorithm`,
      ).toBeGreaterThan(0);
      for (const l of locators) expect(paper.locators, citation).toContain(l);
    },
  );

  it('Score-CAM cites the map (eq. 9-10) and the weights (Algorithm 1), not only the masks', () => {
    const { locators } = parse(CAM_METHODS.find((m) => m.id === 'scorecam')!.citation)!;
    expect(locators).toEqual(expect.arrayContaining(['eq. 9', 'eq. 10', 'Algorithm 1']));
  });

  it('Guided Grad-CAM is §3.2 of the IJCV edition', () => {
    expect(CAM_METHODS.find((m) => m.id === 'guided-gradcam')!.citation).toBe(
      'Selvaraju et al., "Grad-CAM", IJCV 2020, §3.2',
    );
  });
});

describe('Grad-CAM citations in the sources', () => {
  // Core's sources that cite Grad-CAM in comments: the section numbers must be the IJCV edition's.
  const root = fileURLToPath(new URL('..', import.meta.url));
  const files = ['cams', 'render', 'metrics', '.'].flatMap((dir) =>
    readdirSync(`${root}/${dir}`)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))
      .map((f) => `${root}/${dir}/${f}`),
  );

  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it('every "Selvaraju et al." names the IJCV 2020 edition', () => {
    for (const f of files) {
      const text = readFileSync(f, 'utf8').replace(/\s*\n\s*(\*|\/\/)?\s*/g, ' ');
      for (const m of text.matchAll(/Selvaraju et al\.?,?\s*([^)';]{0,40})/g)) {
        expect(m[1], `${f}: ${m[0]}`).toMatch(/^("Grad-CAM", )?IJCV 2020\b/);
      }
    }
  });
});
