/**
 * Notices a model stuck saying the same thing (sessions.md: 3 replies in a row with trigram Jaccard ≥ 0.8 to
 * each of the 2 before). Character trigrams of the lower-cased text, so it works the same without spaces (CJK).
 */
export class RepetitionWatch {
  private recent: Set<string>[] = [];

  constructor(
    private readonly threshold = 0.8,
    private readonly window = 2,
  ) {}

  /** Records a reply; true when it repeats each of the `window` replies before it (the watch then starts over). */
  observe(reply: string): boolean {
    const grams = trigrams(reply);
    if (grams.size === 0) return false;
    const repeating = this.recent.length === this.window && this.recent.every((g) => jaccard(g, grams) >= this.threshold);
    if (repeating) {
      this.recent = [];
      return true;
    }
    this.recent.push(grams);
    if (this.recent.length > this.window) this.recent.shift();
    return false;
  }
}

function trigrams(text: string): Set<string> {
  const chars = [...text.toLowerCase().replace(/[\p{P}\p{S}]+/gu, '').replace(/\s+/g, ' ').trim()];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) grams.add(chars.slice(i, i + 3).join(''));
  return grams;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const g of a) if (b.has(g)) shared++;
  return shared / (a.size + b.size - shared);
}
