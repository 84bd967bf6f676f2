import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SHARED_DIR } from '../testing/node.js';
import { ClassLookupError, IMAGENET_CLASSES, findClass, labelOf, shortLabel } from './labels.js';

function lookupError(query: string | number): ClassLookupError {
  try {
    findClass(query);
  } catch (e) {
    expect(e).toBeInstanceOf(ClassLookupError);
    return e as ClassLookupError;
  }
  throw new Error(`findClass(${JSON.stringify(query)}) did not throw`);
}

describe('ImageNet labels', () => {
  it('has 1000 non-empty labels', () => {
    expect(IMAGENET_CLASSES.length).toBe(1000);
    expect(IMAGENET_CLASSES.every((l) => l.length > 0 && l.trim() === l)).toBe(true);
    expect(Object.isFrozen(IMAGENET_CLASSES)).toBe(true);
  });

  it('gives full and short labels by Keras index', () => {
    expect(labelOf(0)).toBe('tench, Tinca tinca');
    expect(labelOf(243)).toBe('bull mastiff');
    expect(labelOf(281)).toBe('tabby, tabby cat');
    expect(labelOf(282)).toBe('tiger cat');
    expect(labelOf(999)).toBe('toilet tissue, toilet paper, bathroom tissue');
    expect(shortLabel(281)).toBe('tabby');
    expect(shortLabel(2)).toBe('great white shark');
    expect(() => labelOf(1000)).toThrow(RangeError);
    expect(() => labelOf(-1)).toThrow(RangeError);
    expect(() => labelOf(1.5)).toThrow(RangeError);
  });

  it('agrees with every top-5 label of the shared MobileNetV2 reference', (ctx) => {
    const file = join(SHARED_DIR, 'reference', 'mobilenet_v2.json');
    if (!existsSync(file)) {
      console.log(`skipped: ${file} not found`);
      ctx.skip();
    }
    const ref = JSON.parse(readFileSync(file, 'utf8')) as {
      images: Record<string, { top5: { index: number; label: string }[] }>;
    };
    const rows = Object.values(ref.images).flatMap((im) => im.top5);
    expect(rows.length).toBeGreaterThanOrEqual(40);
    for (const { index, label } of rows) expect(labelOf(index), String(index)).toBe(label);
  });
});

describe('findClass', () => {
  it('accepts indices as numbers or numeric strings', () => {
    expect(findClass(243)).toEqual({ index: 243, label: 'bull mastiff' });
    expect(findClass(' 282 ')).toEqual({ index: 282, label: 'tiger cat' });
    expect(findClass('0')).toEqual({ index: 0, label: 'tench, Tinca tinca' });
    expect(() => findClass(1000)).toThrow(/0\.\.999/);
    expect(() => findClass('1000')).toThrow(/0\.\.999/);
    expect(() => findClass(2.5)).toThrow(/0\.\.999/);
  });

  it('accepts full labels and any synonym, ignoring case and spacing', () => {
    expect(findClass('tabby, tabby cat').index).toBe(281);
    expect(findClass('TABBY').index).toBe(281);
    expect(findClass('tabby cat').index).toBe(281);
    expect(findClass('  Tiger   Cat ').index).toBe(282);
    expect(findClass('Carcharodon carcharias').index).toBe(2);
    expect(findClass('man-eater').index).toBe(2);
  });

  it('prefers a whole label over another class synonym', () => {
    expect(findClass('cardigan').index).toBe(474); // 264 is 'Cardigan, Cardigan Welsh corgi'
    expect(findClass('maillot').index).toBe(638); // 639 is 'maillot, tank suit'
    expect(findClass('Cardigan Welsh corgi').index).toBe(264);
  });

  it('reports ambiguous queries with their candidates', () => {
    const crane = lookupError('crane');
    expect(crane.message).toMatch(/ambiguous.*134 'crane'.*517 'crane'/);
    expect(crane.candidates.map((c) => c.index)).toEqual([134, 517]);
    const panda = lookupError('Panda');
    expect(panda.candidates.map((c) => c.index)).toEqual([387, 388]);
  });

  it('suggests up to 5 close classes for unknown queries', () => {
    const typo = lookupError('bull mastif');
    expect(typo.message).toMatch(
      /No ImageNet class 'bull mastif'.*Did you mean: 243 'bull mastiff'/,
    );
    expect(typo.candidates[0].index).toBe(243);
    const part = lookupError('mastiff');
    // Synonyms containing the query rank first: 'bull mastiff' and 'Tibetan mastiff'.
    expect(part.candidates.slice(0, 2).map((c) => c.index)).toEqual([243, 244]);
    const many = lookupError('terrier');
    expect(many.candidates.length).toBe(5);
    for (const c of many.candidates) expect(c.label).toMatch(/terrier/i);
    const none = lookupError('qqqqqqqqqqqqqqqq');
    expect(none.candidates).toEqual([]);
    expect(none.message).toBe("No ImageNet class 'qqqqqqqqqqqqqqqq'");
    expect(lookupError('  ').message).toMatch(/Empty/);
  });
});
