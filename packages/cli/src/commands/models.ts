import { MODELS } from '@gradcam-explorer/core';
import { listCached } from '../weights-store/index.js';
import type { Io } from '../io.js';

export async function modelsCommand(opts: { json?: boolean }, io: Io): Promise<number> {
  const cached = await listCached(MODELS.map((m) => m.weights));
  const rows = MODELS.map((m) => ({
    id: m.id,
    name: m.name,
    inputSize: m.inputSize,
    defaultLayer: m.defaultLayer,
    parameters: m.parameters,
    weightsFile: m.weights.fileName,
    cached: cached.has(m.weights.fileName),
  }));
  if (opts.json) {
    io.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  const table = [
    ['id', 'name', 'input', 'default layer', 'parameters', 'weights cached'],
    ...rows.map((r) => [
      r.id,
      r.name,
      `${r.inputSize}x${r.inputSize}`,
      r.defaultLayer,
      r.parameters.toLocaleString('en-US'),
      r.cached ? 'yes' : 'no',
    ]),
  ];
  const widths = table[0].map((_, i) => Math.max(...table.map((row) => row[i].length)));
  for (const row of table)
    io.stdout.write(
      row
        .map((c, i) => c.padEnd(widths[i]))
        .join('  ')
        .trimEnd() + '\n',
    );
  return 0;
}
