/**
 * A progress bar on stderr for long jobs. Draws only when stderr is a terminal (or when forced with
 * HOSHIMI_PROGRESS=1), and only after the job has run for a moment, so short runs and pipes stay clean.
 */
export class ProgressBar {
  private total: number;
  private readonly label: string;
  private readonly started = Date.now();
  private readonly enabled: boolean;
  private lastDraw = 0;
  private doneCount = 0;

  constructor(label: string, total: number, stream: NodeJS.WriteStream = process.stderr) {
    this.label = label;
    this.total = Math.max(1, total);
    this.stream = stream;
    this.enabled =
      process.env['HOSHIMI_PROGRESS'] === '1' || (stream.isTTY === true && process.env['CI'] !== 'true');
  }

  private readonly stream: NodeJS.WriteStream;

  /** Units finished so far. */
  get done(): number {
    return this.doneCount;
  }

  /** Changes the total (when it becomes known after the start). */
  setTotal(total: number): void {
    this.total = Math.max(1, total);
  }

  /** Adds `n` finished units and redraws at most ten times a second. */
  tick(n = 1): void {
    this.doneCount += n;
    if (!this.enabled) return;
    const now = Date.now();
    if (now - this.started < 500 || now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw(now);
  }

  /** Clears the bar and leaves the cursor at the start of the line. */
  finish(): void {
    if (!this.enabled || this.lastDraw === 0) return;
    this.draw(Date.now());
    this.stream.write('\n');
  }

  private draw(now: number): void {
    const frac = Math.min(1, this.doneCount / this.total);
    const width = 30;
    const filled = Math.round(frac * width);
    const elapsed = (now - this.started) / 1000;
    const eta = frac > 0 ? elapsed / frac - elapsed : Number.NaN;
    const etaText = Number.isFinite(eta) ? `${eta.toFixed(0)} s left` : '';
    this.stream.write(
      `\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1)}% ${etaText}   `,
    );
  }
}
