import { describe, expect, it } from 'vitest';
import { UserModelError } from './errors.js';
import { labelsFor, parseLabels } from './labels.js';

describe('labels files', () => {
  it('text: one name per line, or Teachable Machine\'s "0 name" lines', () => {
    expect(parseLabels('cat\ndog\n', 'l.txt')).toEqual(['cat', 'dog']);
    expect(parseLabels('\uFEFF0 covid\r\n1 normal\r\n', 'labels.txt')).toEqual(['covid', 'normal']);
    // Numbers that are not the line's own index stay part of the name.
    expect(parseLabels('3 apples\n5 pears', 'l.txt')).toEqual(['3 apples', '5 pears']);
  });

  it('JSON: an array, {"0": name}, Keras class_indices {name: 0}, Teachable Machine metadata', () => {
    expect(parseLabels('["cat", "dog"]', 'l.json')).toEqual(['cat', 'dog']);
    expect(parseLabels('{"1": "dog", "0": "cat"}', 'l.json')).toEqual(['cat', 'dog']);
    expect(parseLabels('{"dog": 1, "cat": 0}', 'l.json')).toEqual(['cat', 'dog']);
    expect(parseLabels('{"imageSize": 224, "labels": ["a", "b"]}', 'metadata.json')).toEqual([
      'a',
      'b',
    ]);
  });

  it('refuses what is not a list of names, naming the file', () => {
    expect(() => parseLabels('{"a": "b"}', 'x.json')).toThrow(UserModelError);
    expect(() => parseLabels('{"0": "a", "2": "c"}', 'x.json')).toThrow(
      /"x\.json" has no name for class 1/,
    );
    expect(() => parseLabels('[1, 2', 'x.json')).toThrow(/"x\.json" is not valid JSON/);
    expect(() => parseLabels('\n\n', 'empty.txt')).toThrow(/holds no class names/);
  });

  it('fits the names to the model: "class i" without labels, a warning when counts differ', () => {
    expect(labelsFor(3, undefined)).toEqual({ labels: ['class 0', 'class 1', 'class 2'] });
    expect(labelsFor(2, ['a', 'b'])).toEqual({ labels: ['a', 'b'] });
    const fewer = labelsFor(3, ['a']);
    expect(fewer.labels).toEqual(['a', 'class 1', 'class 2']);
    expect(fewer.warning).toMatch(/name 1 classes but the model has 3/);
    expect(labelsFor(1, ['a', 'b']).warning).toMatch(/the last 1 are not used/);
  });
});
