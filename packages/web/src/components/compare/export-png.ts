// "Download PNG" of a side-by-side view: the tiles as drawn (same colormap, opacity and scale),
// each with its caption, in one image with the view's title on top.

const PAD = 16;
const LINE = 18;
const TITLE = 22;
const FONT = '13px system-ui, sans-serif';
const TITLE_FONT = '600 16px system-ui, sans-serif';

export interface ExportTile {
  canvas: HTMLCanvasElement;
  lines: string[];
}

/** The tiles (`figure.map-tile`: canvas + caption) inside `root`, in document order. */
export function tilesIn(root: HTMLElement): ExportTile[] {
  return Array.from(root.querySelectorAll<HTMLElement>('figure.map-tile')).flatMap((f) => {
    const canvas = f.querySelector('canvas');
    if (!canvas) return [];
    const caption = f.querySelector('figcaption')?.innerText ?? '';
    const lines = caption
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    return [{ canvas, lines }];
  });
}

/** Lines of at most `width` pixels (words are not split). */
function wrap(ctx: CanvasRenderingContext2D, text: string, width: number): string[] {
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && ctx.measureText(next).width > width) {
      out.push(line);
      line = word;
    } else line = next;
  }
  if (line) out.push(line);
  return out;
}

/** Draws the tiles in a grid of up to `columns` columns under `title`; resolves to a PNG blob. */
export async function tilesPng(title: string, tiles: ExportTile[], columns = 4): Promise<Blob> {
  if (tiles.length === 0) throw new Error('Nothing to export yet');
  const cols = Math.min(columns, tiles.length);
  const cellW = Math.max(...tiles.map((t) => t.canvas.width));
  const imgH = Math.max(...tiles.map((t) => t.canvas.height));
  const canvas = document.createElement('canvas');
  const ctx = canvas.getContext('2d')!;
  ctx.font = FONT;
  const wrapped = tiles.map((t) => t.lines.flatMap((l) => wrap(ctx, l, cellW)));
  const captionH = Math.max(...wrapped.map((w) => w.length)) * LINE;
  const rows = Math.ceil(tiles.length / cols);
  const width = PAD + cols * (cellW + PAD);
  ctx.font = TITLE_FONT;
  const titleLines = wrap(ctx, title, width - 2 * PAD);
  const top = PAD + titleLines.length * TITLE + PAD / 2;
  canvas.width = width;
  canvas.height = top + rows * (imgH + captionH + PAD) + PAD / 2;
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.fillStyle = '#111111';
  ctx.textBaseline = 'top';
  ctx.font = TITLE_FONT;
  titleLines.forEach((l, i) => ctx.fillText(l, PAD, PAD + i * TITLE));
  ctx.font = FONT;
  tiles.forEach((t, i) => {
    const x = PAD + (i % cols) * (cellW + PAD);
    const y = top + Math.floor(i / cols) * (imgH + captionH + PAD);
    ctx.drawImage(t.canvas, x, y);
    wrapped[i].forEach((l, j) => ctx.fillText(l, x, y + t.canvas.height + 4 + j * LINE));
  });
  const blob = await new Promise<Blob | null>((r) => canvas.toBlob(r, 'image/png'));
  if (!blob) throw new Error('The browser could not encode the PNG');
  return blob;
}

/** Saves `blob` under `fileName` (a download). */
export function saveBlob(blob: Blob, fileName: string): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = fileName;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

/** A file-name part: letters, digits, dashes. */
export const slug = (s: string): string =>
  s
    .replace(/[^\w-]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 60);

/** "<photo without extension>-<part>-<part>.png", the photo's name made file-safe. */
export const pngFileName = (photo: string, ...parts: (string | number | undefined)[]): string =>
  `${[slug(photo.replace(/\.[^.]+$/, '')), ...parts.map((p) => p ?? '')].join('-')}.png`;
