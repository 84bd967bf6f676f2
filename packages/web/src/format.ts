// Number formatting for the UI (one place, so charts, tooltips and tests agree).

/** Bytes as megabytes (10^6, as download sizes are quoted), e.g. "14.5 MB". */
export function formatMB(bytes: number): string {
  const mb = bytes / 1e6;
  return `${mb >= 100 ? mb.toFixed(0) : mb.toFixed(1)} MB`;
}

/** A probability as a percentage with sensible precision: "97.3 %", "0.42 %", "< 0.01 %". */
export function formatPercent(p: number): string {
  const v = p * 100;
  if (v > 0 && v < 0.01) return '< 0.01 %';
  if (v < 1) return `${v.toFixed(2)} %`;
  return `${v.toFixed(1)} %`;
}

/** Seconds left as a short estimate: "about 3 s", "about 2 min". */
export function formatEta(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'estimating...';
  if (seconds < 1) return 'less than a second left';
  if (seconds < 90) return `about ${Math.round(seconds)} s left`;
  return `about ${Math.round(seconds / 60)} min left`;
}

/** Milliseconds for timing notes: "84 ms", "1.3 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** ImageNet labels list synonyms separated by commas; the first one names the class. */
export function shortLabel(label: string): string {
  return label.split(',')[0].trim();
}

/**
 * A raw value (a weight, an activation, a map's maximum) with 3 significant digits and a true
 * minus sign: "0.0125", "−0.360", "+0.00191" (`signed`: a plus sign too), "0" for zero.
 */
export function formatValue(v: number, signed = false): string {
  if (v === 0 || !Number.isFinite(v)) return Number.isFinite(v) ? '0' : String(v);
  const a = Math.abs(v);
  const text = a >= 1e5 || a < 1e-5 ? a.toExponential(2) : a.toPrecision(3);
  return `${v < 0 ? '−' : signed ? '+' : ''}${text}`;
}

/** A signed share as a percentage with one decimal and a true minus sign: "+4.1 %", "−0.3 %". */
export function formatShare(share: number): string {
  const v = Math.abs(share * 100);
  const text = v > 0 && v < 0.05 ? '< 0.1 %' : `${v.toFixed(1)} %`;
  return `${share < 0 ? '−' : '+'}${text}`;
}
