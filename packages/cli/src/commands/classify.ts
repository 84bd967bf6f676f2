import { decodeImageFile } from '../image-io.js';
import type { Io } from '../io.js';
import type { Reporter } from '../reporter.js';
import { forEachImage, openAnyModel, type AnyModelOptions } from './common.js';

export async function classifyCommand(
  images: string[],
  opts: AnyModelOptions & { top: number },
  io: Io,
  reporter: Reporter,
): Promise<number> {
  const explainer = await openAnyModel(opts, reporter);
  try {
    return await forEachImage(images, io, reporter, opts.json, async (image) => {
      const analysis = explainer.analyze(await decodeImageFile(image));
      try {
        const predictions = analysis
          .top(opts.top)
          .map(({ index, label, probability }) => ({ index, label, probability }));
        const text =
          `${image}\n` +
          predictions
            .map(
              (p, r) =>
                `  ${r + 1}. ${(p.probability * 100).toFixed(2).padStart(6)}%  ${p.label} (${p.index})`,
            )
            .join('\n') +
          '\n';
        return { result: { image, model: explainer.profile.id, predictions }, text };
      } finally {
        analysis.dispose();
      }
    });
  } finally {
    explainer.dispose();
  }
}
