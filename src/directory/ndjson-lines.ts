export type NdjsonLine = { line: number; text: string; tooLong?: never } | { line: number; tooLong: true };

const NEWLINE = 0x0a;
const NOT_BLANK = /\S/;

/**
 * Splits a byte stream into NDJSON lines, numbered from 1. Holds at most one line of `maxLineBytes`:
 * the rest of a longer line is dropped and reported as too long, so one endless line cannot exhaust memory.
 * Blank lines are skipped but still counted, so numbers match the caller's file.
 */
export class NdjsonLineSplitter {
  private lineNumber = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overlong = false;

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer): NdjsonLine[] {
    const lines: NdjsonLine[] = [];
    let start = 0;
    for (let end = chunk.indexOf(NEWLINE); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      this.complete(chunk, start, end, lines);
      start = end + 1;
    }
    this.hold(chunk, start, chunk.length);
    return lines;
  }

  /** The last line, when the stream does not end with a newline. */
  end(): NdjsonLine[] {
    const lines: NdjsonLine[] = [];
    if (this.pendingBytes > 0 || this.overlong) this.complete(Buffer.alloc(0), 0, 0, lines);
    return lines;
  }

  private hold(chunk: Buffer, start: number, end: number): void {
    if (this.overlong || start === end) return;
    this.pendingBytes += end - start;
    if (this.pendingBytes > this.maxLineBytes) {
      this.overlong = true;
      this.pending = [];
    } else {
      this.pending.push(chunk.subarray(start, end));
    }
  }

  private complete(chunk: Buffer, start: number, end: number, lines: NdjsonLine[]): void {
    const line = ++this.lineNumber;
    let text: string | undefined;
    if (this.pending.length === 0 && !this.overlong) {
      if (end - start <= this.maxLineBytes) text = chunk.toString('utf8', start, end);
    } else {
      this.hold(chunk, start, end);
      if (!this.overlong) text = Buffer.concat(this.pending, this.pendingBytes).toString('utf8');
    }
    this.pending = [];
    this.pendingBytes = 0;
    this.overlong = false;
    if (text === undefined) {
      lines.push({ line, tooLong: true });
      return;
    }
    if (line === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (NOT_BLANK.test(text)) lines.push({ line, text });
  }
}
