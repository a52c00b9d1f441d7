/**
 * Which character positions of one text are taken by accepted matches. Checking a span and taking
 * it cost its length, not the number of spans taken so far: recognisers whose own matches do not
 * overlap (each regular expression's matches never do) stay linear in the text, where testing every
 * new match against every accepted one (`found.some(…)`) was quadratic in the number of matches.
 */
export class SpanSet {
  private readonly taken: Uint8Array;

  constructor(textLength: number) {
    this.taken = new Uint8Array(textLength + 1);
  }

  /** Whether any position in [start, end) is taken. */
  overlaps(start: number, end: number): boolean {
    for (let i = Math.max(0, start); i < end && i < this.taken.length; i++) if (this.taken[i] === 1) return true;
    return false;
  }

  /** Takes [start, end). */
  add(start: number, end: number): void {
    this.taken.fill(1, Math.max(0, start), Math.min(end, this.taken.length));
  }

  /** Takes [start, end) unless a position in it is taken; returns whether it did. */
  tryAdd(start: number, end: number): boolean {
    if (this.overlaps(start, end)) return false;
    this.add(start, end);
    return true;
  }
}
