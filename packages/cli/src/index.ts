import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import {
  CAM_METHODS,
  COLORMAPS,
  DEFAULT_COLORMAP,
  DEFAULT_METHOD,
  DEFAULT_SCORECAM_OPTIONS,
  MODELS,
  PREPROCESS_MODES,
  SANITY_METHODS,
} from '@gradcam-explorer/core';
import { handleInterrupts, interruptedExitCode } from './interrupt.js';
import { UsageError, type Io } from './io.js';
import { Reporter } from './reporter.js';
import { modelsCommand } from './commands/models.js';
import { classifyCommand } from './commands/classify.js';
import { explainCommand } from './commands/explain.js';
import { layersCommand } from './commands/layers.js';
import { sanityCommand } from './commands/sanity.js';
import { serveCommand } from './serve/index.js';

export { UsageError, type Io } from './io.js';

function intInRange(min: number, max: number) {
  return (v: string): number => {
    // Number('') is 0: a blank value must not pass as 0.
    const n = v.trim() === '' ? NaN : Number(v);
    if (!Number.isInteger(n) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return n;
  };
}

function unitInterval(v: string): number {
  const n = v.trim() === '' ? NaN : Number(v);
  if (!Number.isFinite(n) || n < 0 || n > 1)
    throw new InvalidArgumentError('expected a number from 0 to 1');
  return n;
}

/** Runs the CLI; resolves to the exit code (0 ok, 1 some input failed, 2 bad usage). */
export async function run(
  argv: string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr },
): Promise<number> {
  let code = 0;
  const program = new Command();
  const modelIds = MODELS.map((m) => m.id);
  program
    .name('gradcam-explorer')
    .description(
      'Classify images with Keras ImageNet networks and explain the predictions with Grad-CAM.',
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    })
    .showHelpAfterError('(run with --help for usage)');

  const modelOption = () =>
    new Option('-m, --model <id>', 'network').choices(modelIds).makeOptionMandatory(true);
  // classify / explain: a registered network, or the user's own model file.
  const userModelOptions = (cmd: Command) =>
    cmd
      .addOption(new Option('-m, --model <id>', 'network').choices(modelIds))
      .option(
        '--model-file <path>',
        'your own model instead: a Keras .h5 or .keras file, or a TensorFlow.js model.json',
      )
      .option('--labels <file>', 'class names for --model-file: text (one per line) or JSON')
      .addOption(
        new Option(
          '--preprocess <mode>',
          `pixel scaling for --model-file (${PREPROCESS_MODES.map((m) => `${m.id}: ${m.label}`).join(', ')}); default: detected, else unit`,
        ).choices(PREPROCESS_MODES.map((m) => m.id)),
      );

  program
    .command('models')
    .description(
      'list the networks, their default Grad-CAM layer and whether their weights are cached',
    )
    .option('--json', 'print JSON only')
    .action(async (opts: { json?: boolean }) => {
      code = await modelsCommand(opts, io);
    });

  program
    .command('layers')
    .description(
      'list the layers at which a map can be computed, input to output, with their resolution',
    )
    .addOption(new Option('-m, --model <id>', 'network').choices(modelIds))
    .option('--model-file <path>', 'your own model instead (.h5, .keras or model.json)')
    .option('--json', 'print JSON only')
    .action(async (opts: { model?: string; modelFile?: string; json?: boolean }) => {
      code = await layersCommand(opts, io);
    });

  const classify = program
    .command('classify')
    .description('print the top-k predictions for each image')
    .argument('<image...>', 'JPEG, PNG, BMP, WebP or GIF files');
  userModelOptions(classify)
    .option(
      '-w, --weights <file.h5>',
      'Keras weights file to use as is (no download, no hash check)',
    )
    .option('--redownload', 'download the weights again, replacing a damaged cached copy')
    .option('-k, --top <k>', 'number of predictions', intInRange(1, 1000), 5)
    .option('--json', 'print JSON only (progress goes to stderr)')
    .action(async (images: string[], opts) => {
      handleInterrupts(io.stderr);
      code = await classifyCommand(images, opts, io, new Reporter(io.stderr, false));
    });

  const explain = program
    .command('explain')
    .description('write a heatmap overlay PNG per image explaining one class')
    .argument('<image...>', 'JPEG, PNG, BMP, WebP or GIF files');
  userModelOptions(explain)
    .option(
      '-w, --weights <file.h5>',
      'Keras weights file to use as is (no download, no hash check)',
    )
    .option('--redownload', 'download the weights again, replacing a damaged cached copy')
    .option(
      '-c, --class <index|label>',
      'class to explain: index (0-999 for ImageNet) or label (default: top-1)',
    )
    .addOption(
      new Option('--method <id>', 'CAM method')
        .choices(CAM_METHODS.map((m) => m.id))
        .default(DEFAULT_METHOD),
    )
    .option('--counterfactual', 'explain what argues against the class (negated gradients)')
    .option('-l, --layer <name>', "target layer (default: the network's default layer)")
    .addOption(
      new Option('--colormap <name>', 'colormap')
        .choices(COLORMAPS.map((c) => c.id))
        .default(DEFAULT_COLORMAP),
    )
    .option('-a, --alpha <0..1>', 'heatmap opacity', unitInterval, 0.5)
    .option('-o, --out <dir>', 'output folder', '.')
    .option('--metrics', 'also measure faithfulness: deletion/insertion AUC and confidence change')
    .addOption(
      new Option('--baseline <kind>', 'what removed pixels become for --metrics')
        .choices(['blur', 'black'])
        .default('blur'),
    )
    .option('--steps <n>', 'deletion/insertion steps for --metrics', intInRange(2, 200), 20)
    .option(
      '--max-channels <n>',
      'Score-CAM: score only the N highest-variance channels (0 = all)',
      intInRange(0, 100000),
      DEFAULT_SCORECAM_OPTIONS.maxChannels,
    )
    .option(
      '--hide <0..1>',
      'hide the regions the map marks above this value, classify again, report the class before and after',
      unitInterval,
    )
    .option('--json', 'print JSON only (progress goes to stderr)')
    .action(async (images: string[], opts) => {
      handleInterrupts(io.stderr);
      code = await explainCommand(images, opts, io, new Reporter(io.stderr, false));
    });

  program
    .command('sanity')
    .description(
      'cascading randomisation test (Adebayo et al. 2018): randomise the network from the top ' +
        'block down and compare each map with the trained network’s (Spearman, SSIM)',
    )
    .argument('<image>', 'JPEG, PNG, BMP, WebP or GIF file')
    .addOption(modelOption())
    .option(
      '-w, --weights <file.h5>',
      'Keras weights file to use as is (no download, no hash check)',
    )
    .option('--redownload', 'download the weights again, replacing a damaged cached copy')
    .option('-c, --class <index|label>', 'class to explain: index 0-999 or label (default: top-1)')
    .option(
      '--methods <ids>',
      `comma-separated CAM methods (${CAM_METHODS.map((m) => m.id).join(', ')})`,
      SANITY_METHODS.join(','),
    )
    .option('-l, --layer <name>', "target layer (default: the network's default layer)")
    .option('--seed <n>', 'seed of the re-initialised weights', intInRange(0, 2 ** 31 - 1), 1)
    .option(
      '--max-channels <n>',
      'Score-CAM: score only the N highest-variance channels (0 = all)',
      intInRange(0, 100000),
      DEFAULT_SCORECAM_OPTIONS.maxChannels,
    )
    .option('-o, --out <file.json>', 'write the curves there (default: JSON on stdout)')
    .action(async (image: string, opts) => {
      handleInterrupts(io.stderr);
      code = await sanityCommand(image, opts, io, new Reporter(io.stderr, false));
    });

  program
    .command('serve')
    .description('serve the web app on this machine (with the weights API it uses)')
    .option('-p, --port <n>', 'port (0: any free port)', intInRange(0, 65535), 8080)
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--dir <folder>', 'built web app folder (default: packages/web/dist)')
    .option('--open', 'open the app in the default browser')
    .option('--verbose', 'log requests on stderr')
    .action(async (opts) => {
      code = await serveCommand(opts, io);
    });

  try {
    await program.parseAsync(argv);
    return interruptedExitCode() ?? code;
  } catch (e) {
    const interrupted = interruptedExitCode();
    if (interrupted !== null) return interrupted;
    if (e instanceof CommanderError) {
      if (
        e.code === 'commander.helpDisplayed' ||
        e.code === 'commander.version' ||
        e.code === 'commander.help'
      )
        return 0;
      return 2;
    }
    if (e instanceof UsageError) {
      io.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    io.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
