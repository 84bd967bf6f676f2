// @vitest-environment node
import { CAM_METHODS, MODELS } from '@gradcam-explorer/core';
import katex from 'katex';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';

import { allFormulas, METHOD_TEX, TEX } from './formulas.js';
import { LEARN_LOCAL_ID } from './links.js';
import { LearnMore } from './LearnMore.js';
import { LEARN_SECTIONS } from './section.js';
import { modelAnchor } from './sections/ArchitecturesSection.js';
import { MethodEntry, methodAnchor } from './sections/MethodsSection.js';
import { METHOD_NOTES } from './notes.js';
import { REFERENCE_GROUPS } from './references.js';

const html = renderToStaticMarkup(createElement(LearnMore, { onClose: () => {} }));

/** Text content of the markup, entities decoded enough for name checks. */
const text = html
  .replace(/<[^>]*>/g, ' ')
  .replace(/&amp;/g, '&')
  .replace(/&#x27;|&#39;/g, "'")
  .replace(/&quot;/g, '"');

describe('LearnMore formulas', () => {
  const formulas = allFormulas();
  it('has formulas for the core steps and every explained method', () => {
    expect(formulas.length).toBeGreaterThan(30);
    for (const info of CAM_METHODS) {
      if (
        ['gradcam', 'gradcam++', 'xgradcam', 'hirescam', 'layercam', 'eigencam'].includes(info.id)
      )
        expect(METHOD_TEX[info.id], info.id).toBeDefined();
    }
  });
  for (const f of formulas) {
    it(`renders ${f.name} with throwOnError and strict mode`, () => {
      expect(() =>
        katex.renderToString(f.tex, {
          displayMode: f.display,
          output: 'htmlAndMathml',
          throwOnError: true,
          strict: 'error',
        }),
      ).not.toThrow();
    });
  }
  it('emits no KaTeX error or fallback in the panel, and MathML for screen readers', () => {
    expect(html).not.toContain('katex-error');
    expect(html).not.toContain('learn-tex-error');
    expect(html).toContain('<math');
    expect(html).toContain('class="katex-display"');
  });
});

describe('LearnMore content', () => {
  it('lists every architecture of MODELS with its facts', () => {
    for (const m of MODELS) {
      expect(text, m.id).toContain(m.name);
      expect(html, m.id).toContain(`id="${modelAnchor(m.id)}"`);
      expect(html, m.id).toContain(m.defaultLayer);
      expect(html, m.id).toContain(m.facts.paper.url);
      expect(text, m.id).toContain(`${(m.facts.top1 * 100).toFixed(1)}%`);
      expect(text, m.id).toContain(`${(m.facts.top5 * 100).toFixed(1)}%`);
      expect(text, m.id).toContain(new Intl.NumberFormat('en-US').format(m.parameters));
    }
  });

  it('has a subsection for every method of CAM_METHODS and the extra methods', () => {
    for (const m of CAM_METHODS) {
      expect(html, m.id).toContain(`id="${methodAnchor(m.id)}"`);
      expect(text, m.id).toContain(m.name);
      expect(text, m.id).toContain(m.summary);
      expect(text, m.id).toContain(m.citation);
    }
    for (const id of ['scorecam', 'guided-backprop', 'guided-gradcam'])
      expect(html, id).toContain(`id="${methodAnchor(id)}"`);
  });

  it('still lists a method it has no formula or note for', () => {
    const info = {
      id: 'future-cam',
      name: 'Future-CAM',
      summary: 'A method added to core after this panel was written.',
      citation: 'Someone et al., "Future-CAM", 2030',
      kind: 'gradient' as const,
      supportsCounterfactual: true,
    };
    const out = renderToStaticMarkup(createElement(MethodEntry, { info }));
    expect(out).toContain(`<h4 id="${methodAnchor('future-cam')}"`);
    for (const t of [info.name, info.summary, 'Future-CAM&quot;, 2030']) expect(out).toContain(t);
    expect(out).not.toContain('katex');
    expect(out).not.toContain('<a ');
  });

  it('has every section, in the table of contents and as a heading', () => {
    for (const s of LEARN_SECTIONS) {
      expect(html).toContain(`href="#${s.id}"`);
      expect(html).toContain(`<h3 id="${s.id}"`);
    }
    expect(html).toContain('<h2 id="learn-more-title"');
  });

  it('uses heading levels in order (no skipped level)', () => {
    const levels = [...html.matchAll(/<h([1-6])\b/g)].map((m) => Number(m[1]));
    expect(levels[0]).toBe(2);
    for (let i = 1; i < levels.length; i++)
      expect(levels[i] - levels[i - 1]).toBeLessThanOrEqual(1);
  });

  it('has a close button', () => {
    expect(html).toMatch(/<button type="button" class="learn-more-close"[^>]*>Close<\/button>/);
  });
});

describe('LearnMore claims checked against the papers', () => {
  const references = REFERENCE_GROUPS.flatMap((g) => g.references);
  const byId = new Map(references.map((r) => [r.id, r]));

  it('each registered method cites the one edition its reference entry names', () => {
    for (const m of CAM_METHODS) {
      const note = METHOD_NOTES[m.id];
      expect(note, m.id).toBeDefined();
      const ref = byId.get(note.refId);
      expect(ref?.edition, `${m.id} -> ${note.refId}`).toBeDefined();
      expect(m.citation, m.id).toContain(`, ${ref!.edition}`);
      // The edition's year is the year the reference list prints.
      const year = / ((?:19|20)\d{2})$/.exec(ref!.edition!)?.[1];
      if (year) expect(ref!.year, note.refId).toBe(Number(year));
    }
  });

  it('prints the venue year, not the preprint year, for every dated reference', () => {
    for (const r of references) {
      // "CVPR 2016", "WACV 2018, pp. 839–847": a venue named with its year comes first.
      const venueYear = /^[A-Z][\w ]*? ((?:19|20)\d{2})\b/.exec(r.venue)?.[1];
      if (venueYear && !/^arXiv/.test(r.venue)) expect(r.year, r.id).toBe(Number(venueYear));
    }
    for (const m of MODELS) {
      expect(m.facts.paper.venue, m.id).toContain(String(m.facts.paper.year));
      expect(text, m.id).toContain(`(${m.facts.paper.year}).  ${m.facts.paper.title}`);
    }
    expect(text).toContain('Kaiming He, Xiangyu Zhang, Shaoqing Ren, Jian Sun (2016)');
    expect(text).not.toMatch(
      /\(2015\)\.\s+Deep Residual|\(2016\)\.\s+Xception|\(2014\)\.\s+Very Deep/,
    );
  });

  it("cites Grad-CAM in its IJCV 2020 edition, with that edition's section numbers", () => {
    const g = byId.get('selvaraju2020')!;
    expect(g.year).toBe(2020);
    expect(g.venue).toMatch(/^International Journal of Computer Vision 128\(2\), pp\. 336–359/);
    expect(g.links[0].url).toBe('https://doi.org/10.1007/s11263-019-01228-7');
    expect(text).not.toMatch(/Selvaraju et al\. 2017|section 3\.1|ICCV 2017, (eq|§|section)/);
    expect(text).toContain('§3.3');
  });

  it("cites pytorch-grad-cam as its README's BibTeX does", () => {
    const p = byId.get('pytorch-grad-cam')!;
    expect([p.authors, p.title, p.year, p.venue]).toEqual([
      'Jacob Gildenblat and contributors',
      'PyTorch library for CAM methods',
      2021,
      'GitHub',
    ]);
  });

  it('keeps the corrected statements', () => {
    // CAM (Zhou et al. 2016) has no ReLU: Grad-CAM is (1/Z) ReLU(M_CAM), not CAM itself.
    expect(TEX.gapGradcam).toContain(
      String.raw`\frac{1}{Z}\operatorname{ReLU}\big(M^c_{\text{CAM}}\big)`,
    );
    expect(text).not.toMatch(/reproduces CAM[^.]{0,40}exactly|this is CAM, up to/);
    // Faster Score-CAM is tabayashi0117's variant (tf-keras-vis max_N), not pytorch-grad-cam's.
    expect(text).not.toMatch(/faster variant of\s+pytorch-grad-cam/);
    expect(text).toMatch(/Faster Score-CAM[\s\S]{0,120}tf-keras-vis/);
    expect(text).toMatch(/pytorch-grad-cam\s+scores every channel/);
    // The app's Score-CAM is the paper's Algorithm 1: the baseline term cancels in the softmax.
    expect(text).toMatch(/Algorithm 1, §3\.2/);
    expect(text).toMatch(/cancels in the softmax/);
    // Negative cells are not "evidence for other classes"; the paper says "likely to belong".
    expect(text).not.toMatch(/evidence for other classes/);
    expect(text).toContain('likely to belong to other categories');
    // XGrad-CAM's weights are linear in the gradient: its counterfactual is the negative part too.
    expect(text).toMatch(/same holds for HiResCAM and\s+XGrad-CAM/);
    // Grad-CAM++'s multi-instance advantage is disputed (Lerma & Lucas 2022).
    expect(text).toMatch(/advantage is disputed:\s+Lerma & Lucas 2022/);
    // HiResCAM's guarantee: one dense layer; behind global average pooling it equals Grad-CAM.
    expect(text).toMatch(/feeds one dense layer/);
    expect(text).not.toMatch(/provably faithful/);
    // The rest of the list.
    expect(text).not.toMatch(/blurs everything|reveals a\s+shortcut|whole cells change at once/);
    expect(text).toMatch(/may\s+indicate a shortcut/);
  });

  it('has the paragraph the heatmap caveat links to, and the caveats themselves', () => {
    expect(html).toContain(`id="${LEARN_LOCAL_ID}"`);
    expect(text).toMatch(/Local, first-order, one image\./);
    expect(text).toMatch(/Each map is scaled to its own maximum\./);
    expect(text).toMatch(/A probability is not the class.s own score/);
  });
});

describe('LearnMore links', () => {
  const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1].replace(/&amp;/g, '&'));
  const ids = new Set([...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]));

  it('external links are https and open safely', () => {
    const external = hrefs.filter((h) => !h.startsWith('#'));
    expect(external.length).toBeGreaterThan(15);
    for (const h of external) expect(() => new URL(h), h).not.toThrow();
    for (const h of external) expect(new URL(h).protocol, h).toBe('https:');
    for (const tag of html.match(/<a [^>]*target="_blank"[^>]*>/g) ?? [])
      expect(tag).toContain('rel="noopener noreferrer"');
  });

  it('every reference link is in the panel', () => {
    for (const g of REFERENCE_GROUPS)
      for (const r of g.references) for (const l of r.links) expect(hrefs).toContain(l.url);
  });

  it('internal links point to ids that exist', () => {
    for (const h of hrefs.filter((x) => x.startsWith('#'))) expect(ids, h).toContain(h.slice(1));
  });

  it('ids are unique', () => {
    const all = [...html.matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(all).size).toBe(all.length);
  });

  it('link text is meaningful', () => {
    for (const m of html.matchAll(/<a [^>]*>(.*?)<\/a>/g)) {
      const label = m[1].replace(/<[^>]*>/g, '').trim();
      expect(label.length, m[0]).toBeGreaterThan(2);
      expect(label.toLowerCase()).not.toMatch(/^(here|link|click here|more)$/);
    }
  });
});
