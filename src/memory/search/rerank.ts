import type { ConfigStore } from '../../shared/config/store.js';
import { memoryRerankFromEnv } from '../../shared/config/core-config.js';
import type { Logger } from '../../shared/log.js';
import type { ModelEndpoint } from '../llm/model-endpoints.js';
import { chatCompletion, jsonInAnswer } from '../llm/openai-compatible.js';
import type { RecallItem } from './recall.js';

/** How many of the best fused candidates the model sees. */
export const RERANK_CANDIDATES = 20;
/** The whole call (connect, answer, body) must finish within this, or the fused order stands. */
export const RERANK_TIMEOUT_MS = 1500;
/** Caps on what is sent: the question, each candidate's text, and the whole candidate list. */
const MAX_QUERY_CHARS = 500;
const MAX_ITEM_CHARS = 400;
const MAX_PROMPT_CHARS = 8000;

const SYSTEM_PROMPT =
  'You rank memory snippets from past conversations by how well they help answer a question. ' +
  'Answer with JSON only, in the form {"ids": ["<id>", ...]}: the ids of the snippets, most relevant first. ' +
  'Use only ids from the list; leave out snippets that do not help.';

/**
 * Whether rerank is wanted by default: env NEKO_MEMORY_RERANK (1/true/on or 0/false/off) overrides
 * core_config.json `memory_rerank` (a boolean, default off).
 */
export function rerankEnabled(config: ConfigStore, env: NodeJS.ProcessEnv): boolean {
  return memoryRerankFromEnv(env) ?? config.coreFile().memory_rerank === true;
}

function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max).join('')}…`;
}

/** One line per candidate (newlines folded so a text cannot fake another entry). */
function candidateLine(item: RecallItem): string {
  return `[${item.id}] (${item.kind}, ${item.speaker}, ${item.timestamp.slice(0, 10)}) ${clip(item.text.replace(/\s+/gu, ' ').trim(), MAX_ITEM_CHARS)}`;
}

/**
 * The chat messages asking the model to order `candidates` for `query`, and the ids actually listed: candidates
 * past the size cap are left out (they keep their fused place after the ranked ones).
 */
export function rerankPrompt(query: string, candidates: readonly RecallItem[]): { messages: Array<{ role: 'system' | 'user'; content: string }>; sent: string[] } {
  const lines: string[] = [];
  const sent: string[] = [];
  let size = 0;
  for (const item of candidates) {
    const line = candidateLine(item);
    if (size + line.length + 1 > MAX_PROMPT_CHARS) break;
    lines.push(line);
    sent.push(item.id);
    size += line.length + 1;
  }
  const content = `Question: ${clip(query.replace(/\s+/gu, ' ').trim(), MAX_QUERY_CHARS)}\n\nSnippets:\n${lines.join('\n')}`;
  return { messages: [{ role: 'system', content: SYSTEM_PROMPT }, { role: 'user', content }], sent };
}

/** The ids in a model answer: `{"ids": [...]}` (fences and surrounding text tolerated) or a bare JSON array. */
export function answerIds(answer: string): string[] | undefined {
  const object = jsonInAnswer(answer);
  let ids: unknown = object?.ids ?? object?.ranking ?? object?.order;
  if (ids === undefined) {
    const unfenced = answer.replace(/```(?:json)?/gi, '');
    const start = unfenced.indexOf('[');
    const end = unfenced.lastIndexOf(']');
    if (start >= 0 && end > start) {
      try {
        ids = JSON.parse(unfenced.slice(start, end + 1));
      } catch {
        return undefined;
      }
    }
  }
  if (!Array.isArray(ids)) return undefined;
  return ids.filter((id): id is string | number => typeof id === 'string' || typeof id === 'number').map(String);
}

/**
 * `items` reordered by `ranked`: the ranked known ids first (duplicates and unknown ids ignored), then every other
 * item in its fused order. Scores are reassigned so the list stays sorted by score (position i gets the i-th best
 * fused score); text and every other field are untouched. Undefined when the ranking names no known id.
 */
export function applyRanking(items: readonly RecallItem[], ranked: readonly string[]): RecallItem[] | undefined {
  const byId = new Map(items.map((item) => [item.id, item]));
  const first: RecallItem[] = [];
  const used = new Set<string>();
  for (const id of ranked) {
    const item = byId.get(id);
    if (!item || used.has(id)) continue;
    used.add(id);
    first.push(item);
  }
  if (first.length === 0) return undefined;
  const order = [...first, ...items.filter((item) => !used.has(item.id))];
  const scores = items.map((item) => item.score).sort((a, b) => b - a);
  return order.map((item, i) => ({ ...item, score: scores[i]! }));
}

export interface RerankerOptions {
  /** The assist model to ask, or undefined when none is usable (the offline `sim` provider has none). */
  endpoint: () => ModelEndpoint | undefined;
  log: Logger;
  timeoutMs?: number;
}

/**
 * The optional LLM rerank stage of recall: one chat completion, no retries, a strict timeout. Any failure (no
 * answer in time, HTTP error, an answer that is not JSON or names no candidate) leaves the fused order as it was;
 * the first failure is logged as a warning, later ones at debug level so a flaky model does not flood the log.
 */
export class Reranker {
  private warned = false;

  constructor(private readonly opts: RerankerOptions) {}

  /** Whether a model is there to ask. */
  available(): boolean {
    return this.opts.endpoint() !== undefined;
  }

  /** The best RERANK_CANDIDATES of `items` reordered for `query` (the rest follow unchanged), and whether that happened. */
  async rerank(query: string, items: readonly RecallItem[]): Promise<{ items: RecallItem[]; reranked: boolean }> {
    const endpoint = this.opts.endpoint();
    const unchanged = { items: [...items], reranked: false };
    if (!endpoint || items.length < 2) return unchanged;
    const head = items.slice(0, RERANK_CANDIDATES);
    const { messages, sent } = rerankPrompt(query, head);
    const sentSet = new Set(sent);
    let answer: string;
    try {
      answer = await chatCompletion(endpoint, messages, { temperature: 0, signal: AbortSignal.timeout(this.opts.timeoutMs ?? RERANK_TIMEOUT_MS) });
    } catch (err) {
      this.fail((err as Error).name === 'TimeoutError' ? 'the model did not answer in time' : (err as Error).message);
      return unchanged;
    }
    const ids = answerIds(answer);
    const order = ids && applyRanking(head, ids.filter((id) => sentSet.has(id)));
    if (!order) {
      this.fail(`unusable answer: ${answer.slice(0, 120)}`);
      return unchanged;
    }
    return { items: [...order, ...items.slice(RERANK_CANDIDATES)], reranked: true };
  }

  private fail(reason: string): void {
    const fields = { event: 'memory_rerank_failed', reason };
    if (this.warned) {
      this.opts.log.debug(fields, 'recall rerank skipped; fused order kept');
    } else {
      this.warned = true;
      this.opts.log.warn(fields, 'recall rerank skipped; fused order kept (further failures are logged at debug level)');
    }
  }
}
