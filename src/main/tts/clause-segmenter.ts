/**
 * Cuts streamed reply text into clauses for engines that synthesize whole pieces of text, so the first
 * audio can start after the first clause instead of after the whole reply. Works on Chinese, Japanese and
 * English punctuation; text arrives in arbitrary pieces (tokens), so a cut is only made once it is certain.
 */

/** Marks that always end a clause (CJK full stops, exclamation/question marks, semicolons, ellipses, newlines). */
const STRONG_ENDS = new Set(['。', '！', '？', '；', '…', '!', '?', ';', '\n', '．', '｡']);
/** Marks that end a clause only when enough text came before them (a lone "Oh," is not worth a synthesis call). */
const WEAK_ENDS = new Set(['，', '、', ',', '：', ':', '—', '～']);
/** Characters that stay with the clause they follow (closing quotes and brackets). */
const CLOSERS = new Set(['」', '』', '”', '’', '"', "'", ')', '）', '】', '》', '〉', ']']);
/** Shortest clause (in characters) that a comma-like mark may end: short enough for fast first audio, long enough to sound natural. */
const WEAK_MIN_CHARS = 10;
/** Longest run without punctuation before we cut at a space anyway (LLMs sometimes write long unpunctuated lines). */
const MAX_CLAUSE_CHARS = 160;

export class ClauseSegmenter {
  private buffer = '';

  /** Adds text; returns the clauses it completed (possibly none). */
  push(text: string): string[] {
    this.buffer += text;
    const out: string[] = [];
    for (let cut = this.nextCut(); cut > 0; cut = this.nextCut()) {
      out.push(this.buffer.slice(0, cut));
      this.buffer = this.buffer.slice(cut);
    }
    return out.map((c) => c.trim()).filter(Boolean);
  }

  /** End of the reply: whatever is left (trimmed), or '' when nothing is. */
  flush(): string {
    const rest = this.buffer.trim();
    this.buffer = '';
    return rest;
  }

  clear(): void {
    this.buffer = '';
  }

  /** Index just past the first certain clause end, or 0 when there is none yet. */
  private nextCut(): number {
    const s = this.buffer;
    for (let i = 0; i < s.length; i++) {
      const ch = s[i]!;
      let ends = STRONG_ENDS.has(ch) || (WEAK_ENDS.has(ch) && contentLength(s.slice(0, i)) >= WEAK_MIN_CHARS);
      if (ch === '.') {
        // "3.14" and "e.g." are not clause ends; a dot at the very end of what arrived may still be one of them.
        const next = s[i + 1];
        if (next === undefined) return 0;
        ends = /\s/.test(next) || CLOSERS.has(next) || !/[\w.]/u.test(next);
      }
      if (!ends) continue;
      let end = i + 1;
      // Runs like "?!", "……" or "。」" end together; when the run reaches the end of what arrived, the next
      // piece may continue it, so wait for one more character (one token of latency, and flush() ends it anyway).
      while (end < s.length && (STRONG_ENDS.has(s[end]!) || CLOSERS.has(s[end]!) || s[end] === '.')) end++;
      if (end === s.length && ch !== '\n') return 0;
      if (contentLength(s.slice(0, end)) === 0) continue; // punctuation only: keep it with the next clause
      return end;
    }
    if (s.length > MAX_CLAUSE_CHARS) {
      const space = s.lastIndexOf(' ', MAX_CLAUSE_CHARS);
      return space > 0 ? space + 1 : MAX_CLAUSE_CHARS;
    }
    return 0;
  }
}

/** Letters and digits in `text` (what an engine actually pronounces). */
export function contentLength(text: string): number {
  return (text.match(/[\p{L}\p{N}]/gu) ?? []).length;
}

/** True when the text has something to pronounce (not only punctuation, emoji or kaomoji symbols). */
export function isSpeakable(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
