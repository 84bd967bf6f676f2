// @vitest-environment node
import { CAM_METHODS, MODELS } from '@gradcam-explorer/core';
import katex from 'katex';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';

// The panel reads core's registries through `virtual:gradcam-meta`, which web's vite.config.ts
// generates at build time; the root Vitest config has no such plugin, so build the same plain data
// here from the real registries.
vi.mock('virtual:gradcam-meta', async () => {
  const core = await import('@gradcam-explorer/core');
  return {
    MODELS: core.MODELS.map((m) => ({
      id: m.id,
      name: m.name,
      summary: m.summary,
      description: m.description,
      inputSize: m.inputSize,
      defaultLayer: m.defaultLayer,
      parameters: m.parameters,
      facts: m.facts,
      weights: { fileName: m.weights.fileName, bytes: m.weights.bytes },
    })),
    CAM_METHODS: core.CAM_METHODS.map((c) => ({
      id: c.id,
      name: c.name,
      summary: c.summary,
      citation: c.citation,
      kind: c.kind,
      supportsCounterfactual: c.supportsCounterfactual,
    })),
    DEFAULT_METHOD: core.DEFAULT_METHOD,
  };
});
import { allFormulas, METHOD_TEX } from './formulas.js';
import {
  LearnMore,
  LEARN_SECTIONS,
  MethodEntry,
  methodAnchor,
  methodsToExplain,
  modelAnchor,
} from './LearnMore.js';
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
    for (const { info } of methodsToExplain()) {
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
    const out = renderToStaticMarkup(createElement(MethodEntry, { info, registered: true }));
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
