/**
 * Turns text into the terms the full-text index stores and queries match.
 *
 * FTS5's unicode61 tokenizer splits on spaces and punctuation, which works for English but turns a whole
 * Chinese or Japanese sentence into one token. So runs of CJK characters are rewritten as overlapping
 * bigrams ("我喜欢猫" → "我喜 喜欢 欢猫"), the usual segmentation-free approach for CJK retrieval; a query
 * goes through the same rewrite, so "喜欢" matches. Latin text passes through to unicode61 + porter stemming.
 */

// Han, Hiragana, Katakana, Hangul (syllables and jamo), CJK compatibility ideographs.
const CJK_RUN = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u30fc]+/gu;
const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

function bigrams(run: string): string[] {
  const chars = [...run];
  if (chars.length === 1) return chars;
  const out: string[] = [];
  for (let i = 0; i + 1 < chars.length; i++) out.push(chars[i]! + chars[i + 1]!);
  return out;
}

/**
 * The text as stored in the index column: CJK runs as bigrams plus their single characters (a query that
 * keeps one character after stop-word removal, such as 猫 in 关于猫, must still match), the rest unchanged.
 */
export function indexText(text: string): string {
  return text.normalize('NFKC').replace(CJK_RUN, (run) => {
    const chars = [...run];
    return ` ${bigrams(run).join(' ')} ${chars.length > 1 ? chars.join(' ') : ''} `;
  });
}

/**
 * Query-side segmentation: bigrams, plus the single characters of the run so that a reworded question
 * (搬去 vs 搬到) still matches on the shared character; BM25's IDF keeps common characters weak.
 */
function queryText(text: string): string {
  return text.replace(CJK_RUN, (run) => {
    const chars = [...run];
    return ` ${bigrams(run).join(' ')} ${chars.length > 1 ? chars.join(' ') : ''} `;
  });
}

// Words that carry no topic in a question; matching on them only adds noise to BM25.
const EN_STOP = new Set(
  `a an the and or but if then of to in on at by for with about from into over after before as is are was were be been being
  am do does did doing have has had having i me my mine myself you your yours yourself we us our they them their he him his she her
  it its this that these those what which who whom whose when where why how all any some no not can could would should will shall
  may might must just so than too very also there here again ever say said says tell told talk talked mention mentioned remember
  recall know think thought anything something thing things did ask asked like`.split(/\s+/).filter(Boolean),
);

// Chinese/Japanese question and function words, removed before bigramming so they cannot form noise bigrams.
const CJK_STOP = /什么|甚么|哪些|哪个|哪里|怎么|怎样|为什么|是不是|有没有|关于|说过|提过|提到|告诉|记得|还记得|之前|以前|曾经|的时候|时候|一下|一些|这个|那个|我们|你们|他们|吗|呢|吧|啊|呀|嘛|了|的|是|我|你|他|她|它|在|有|和|跟|与|过|说|讲|聊|问|哪|谁|么|何|なに|何を|について|でしょう|ですか|ました|ます|です|した|って|の|は|が|を|に|で|と|も|か|ね|よ/g;

/** Distinct query terms after stop-word removal, CJK as bigrams, latin lower-cased. */
export function queryTerms(query: string): string[] {
  const normal = query.normalize('NFKC').toLowerCase().replace(CJK_STOP, ' ');
  const terms = new Set<string>();
  for (const piece of queryText(normal).split(/[^\p{L}\p{N}_]+/u)) {
    if (!piece) continue;
    if (CJK_CHAR.test(piece)) terms.add(piece);
    else if (piece.length > 1 && !EN_STOP.has(piece)) terms.add(piece);
    else if (/^\d+$/.test(piece)) terms.add(piece);
  }
  return [...terms];
}

/** An FTS5 MATCH expression that matches any of the terms (BM25 then rewards matching more of them). */
export function matchExpression(terms: readonly string[]): string {
  return terms.map((t) => `"${t.replace(/"/g, '""')}"`).join(' OR ');
}

/** Lower-cased, porter-free word/bigram set of a text, used to measure which query terms a text covers. */
export function termSet(text: string): Set<string> {
  const lower = text.toLowerCase();
  // Plain ASCII needs no normalisation or CJK segmentation (most English turns): split and go.
  const pieces = ASCII.test(lower) ? lower.split(/[^a-z0-9_]+/) : indexText(lower.normalize('NFKC')).split(/[^\p{L}\p{N}_]+/u);
  const set = new Set<string>();
  for (const piece of pieces) if (piece) set.add(piece);
  return set;
}

const ASCII = /^[\x00-\x7f]*$/;

/**
 * Whether `terms` (a text's term set) contains query term `q`, allowing simple English inflection
 * (cats/cat, walked/walk) so coverage agrees roughly with the porter-stemmed index.
 */
export function covers(terms: Set<string>, q: string): boolean {
  if (terms.has(q)) return true;
  if (CJK_CHAR.test(q)) return false;
  const stem = q.replace(/(ing|ed|es|s)$/, '');
  if (stem.length < 3) return false;
  for (const t of terms) if (t.startsWith(stem) && t.length - stem.length <= 4) return true;
  return false;
}
