import cliProgress from 'cli-progress';

/**
 * Everything the CLI says that is not its result goes to stderr, so `--json` output on stdout
 * stays machine-readable. Progress bars only when stderr is a terminal.
 */
export class Reporter {
  private bar: cliProgress.SingleBar | null = null;

  constructor(
    private readonly stream: NodeJS.WriteStream = process.stderr,
    readonly quiet = false,
  ) {}

  info(message: string): void {
    if (!this.quiet) this.stream.write(`${message}\n`);
  }

  warn(message: string): void {
    this.stream.write(`warning: ${message}\n`);
  }

  error(message: string): void {
    this.stream.write(`error: ${message}\n`);
  }

  /** Starts a progress bar of `total` units (bytes are shown as MB). */
  start(label: string, total: number, unit: 'items' | 'MB' = 'items'): void {
    this.stop();
    if (this.quiet || !this.stream.isTTY) {
      this.info(label);
      return;
    }
    this.bar = new cliProgress.SingleBar(
      {
        format: `${label} [{bar}] {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted}`,
        stream: this.stream,
        hideCursor: true,
        clearOnComplete: true,
      },
      cliProgress.Presets.shades_classic,
    );
    this.bar.start(total, 0);
  }

  update(value: number, total?: number): void {
    if (!this.bar) return;
    if (total !== undefined) this.bar.setTotal(total);
    this.bar.update(value);
  }

  stop(): void {
    this.bar?.stop();
    this.bar = null;
  }
}
