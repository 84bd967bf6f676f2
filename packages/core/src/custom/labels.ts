// Class names for a user model, from the files people have:
// - text, one name per line, or Teachable Machine's `labels.txt` lines "0 covid";
// - JSON: an array of names, an object {"0": "cat", "1": "dog"}, Keras' `class_indices`
//   {"cat": 0, "dog": 1}, or Teachable Machine's `metadata.json` ({"labels": [...]}).
import { UserModelError } from './errors.js';

function fromJson(v: unknown, fileName: string): string[] {
  if (Array.isArray(v) && v.every((x) => typeof x === 'string' || typeof x === 'number')) {
    return v.map(String);
  }
  if (typeof v === 'object' && v !== null) {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o['labels'])) return fromJson(o['labels'], fileName);
    const entries = Object.entries(o);
    const isIndex = (k: string) => /^\d+$/.test(k);
    if (entries.length > 0 && entries.every(([k, x]) => isIndex(k) && typeof x === 'string')) {
      return placed(
        entries.map(([k, x]) => [Number(k), x as string]),
        fileName,
      );
    }
    if (entries.length > 0 && entries.every(([, x]) => Number.isInteger(x))) {
      return placed(
        entries.map(([k, x]) => [x as number, k]),
        fileName,
      );
    }
  }
  throw new UserModelError(
    `"${fileName}" is JSON but not a list of class names (expected ["cat", "dog"], ` +
      '{"0": "cat", "1": "dog"} or {"cat": 0, "dog": 1})',
    fileName,
  );
}

/** Names at their indices; every index from 0 up must be there once. */
function placed(pairs: [number, string][], fileName: string): string[] {
  const out: string[] = [];
  for (const [i, name] of pairs) {
    if (out[i] !== undefined)
      throw new UserModelError(`"${fileName}" names class ${i} twice`, fileName);
    out[i] = name;
  }
  const hole = Array.from(out, (x) => x).findIndex((x) => x === undefined);
  if (hole >= 0) throw new UserModelError(`"${fileName}" has no name for class ${hole}`, fileName);
  return out;
}

/** Parses a labels file's text; throws a UserModelError naming the file when it cannot. */
export function parseLabels(text: string, fileName: string): string[] {
  const t = text.replace(/^\uFEFF/, '');
  const first = t.trimStart()[0];
  if (first === '[' || first === '{') {
    let v: unknown;
    try {
      v = JSON.parse(t);
    } catch (e) {
      throw new UserModelError(
        `"${fileName}" is not valid JSON: ${(e as Error).message}`,
        fileName,
      );
    }
    return fromJson(v, fileName);
  }
  const lines = t.split(/\r?\n/).map((l) => l.trim());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  if (lines.length === 0) throw new UserModelError(`"${fileName}" holds no class names`, fileName);
  // Teachable Machine: "0 covid", "1 normal": drop the index when every line starts with its own.
  const indexed = lines.every((l, i) => new RegExp(`^${i}\\s+\\S`).test(l));
  return indexed ? lines.map((l) => l.replace(/^\d+\s+/, '')) : lines;
}

/**
 * `classes` names: the labels given (warning when their count differs), else "class 0".."class N-1".
 */
export function labelsFor(
  classes: number,
  given: string[] | undefined,
): { labels: string[]; warning?: string } {
  const fallback = (i: number) => `class ${i}`;
  if (!given) return { labels: Array.from({ length: classes }, (_, i) => fallback(i)) };
  const labels = Array.from({ length: classes }, (_, i) => given[i] ?? fallback(i));
  if (given.length === classes) return { labels };
  return {
    labels,
    warning:
      `The labels name ${given.length} classes but the model has ${classes}: ` +
      (given.length > classes
        ? `the last ${given.length - classes} are not used`
        : `classes ${given.length}..${classes - 1} are called "class i"`),
  };
}
