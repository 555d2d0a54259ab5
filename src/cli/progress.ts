// Progress on stderr: redrawn in place on a terminal; in a log (not a terminal) one plain line per further
// tenth of the work, so a long run leaves a short, readable trace instead of one line of carriage returns.

export interface ProgressLine {
  /** Reports `done` of `total` with its text. */
  update(done: number, total: number, text: string): void;
  /** Ends a redrawn line before other output (nothing to do in a log). */
  end(): void;
}

export function createProgressLine(stream: NodeJS.WriteStream = process.stderr): ProgressLine {
  let drawn = false;
  let lastTenth = -1;
  let lastText = '';
  return {
    update(done, total, text) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[2K${text}`);
        drawn = true;
        return;
      }
      const tenth = total > 0 ? Math.floor((10 * done) / total) : 10;
      if (tenth > lastTenth || (done >= total && text !== lastText)) {
        lastTenth = tenth;
        lastText = text;
        stream.write(`${text}\n`);
      }
    },
    end() {
      if (drawn) stream.write('\n');
      drawn = false;
      lastTenth = -1;
    },
  };
}
