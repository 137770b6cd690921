import type { z } from 'zod';
import { isNekoHealth, type HealthBody } from '../../shared/health.js';
import {
  CharacterFilesResultSchema, encodeHistory, FactChangeResultSchema, FactsResultSchema, HistoryPageSchema, HistoryResultSchema,
  ItemChangeResultSchema, RecentWindowSchema,
  type CharacterFilesResult, type HistoryMessage, type HistoryPage, type HistoryResult, type RecentWindow,
} from '../../shared/protocol/memory.js';

/** The memory service could not be reached (down, restarting, or too slow). */
export class MemoryUnavailableError extends Error {
  readonly code = 'MEMORY_UNAVAILABLE';
}

/** The memory service answered with an error. */
export class MemoryRequestError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

export interface MemoryClientOptions {
  baseUrl: string;
  token?: string;
  /** Per-request timeout; memory calls must never hold up a conversation. */
  timeoutMs?: number;
}

/**
 * HTTP client for the memory service. Stateless per request (fetch keeps connections alive), so a memory
 * restart costs at most the requests made while it was down; those fail fast with MemoryUnavailableError.
 */
export class MemoryClient {
  private readonly timeoutMs: number;

  constructor(private readonly opts: MemoryClientOptions) {
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  get baseUrl(): string {
    return this.opts.baseUrl;
  }

  private async request(method: string, path: string, body?: unknown, timeoutMs = this.timeoutMs): Promise<Response> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    let res: Response;
    try {
      res = await fetch(`${this.opts.baseUrl}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const reason = (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : ((err as { cause?: Error }).cause?.message ?? (err as Error).message);
      throw new MemoryUnavailableError(`memory service unreachable at ${this.opts.baseUrl} (${reason})`);
    }
    if (!res.ok) {
      const text = await res.text().catch(() => '');
      let message = text;
      try {
        const j = JSON.parse(text) as { error?: string; detail?: string };
        message = j.error ?? j.detail ?? text;
      } catch {
        // plain-text error body
      }
      throw new MemoryRequestError(res.status, `memory ${method} ${path} failed with ${res.status}: ${message}`);
    }
    return res;
  }

  private async json<T>(schema: z.ZodType<T>, method: string, path: string, body?: unknown): Promise<T> {
    const res = await this.request(method, path, body);
    return schema.parse(await res.json());
  }

  async health(timeoutMs = 1000): Promise<HealthBody> {
    const res = await this.request('GET', '/health', undefined, timeoutMs);
    const body: unknown = await res.json();
    if (!isNekoHealth(body, 'memory')) throw new MemoryUnavailableError('the process on the memory port is not a neko memory service');
    return body;
  }

  cache(character: string, messages: readonly HistoryMessage[]): Promise<HistoryResult> {
    return this.json(HistoryResultSchema, 'POST', `/cache/${encodeURIComponent(character)}`, encodeHistory(messages));
  }

  process(character: string, messages: readonly HistoryMessage[]): Promise<HistoryResult> {
    return this.json(HistoryResultSchema, 'POST', `/process/${encodeURIComponent(character)}`, encodeHistory(messages));
  }

  renew(character: string, messages: readonly HistoryMessage[]): Promise<HistoryResult> {
    return this.json(HistoryResultSchema, 'POST', `/renew/${encodeURIComponent(character)}`, encodeHistory(messages));
  }

  /** Memory context for a new session (plain text). */
  async newDialog(character: string): Promise<string> {
    const res = await this.request('GET', `/new_dialog/${encodeURIComponent(character)}`);
    return res.text();
  }

  /** Stops a running review of the character's recent window (after the user edited it by hand). */
  async cancelCorrection(character: string, timeoutMs = 2000): Promise<void> {
    await this.request('POST', `/cancel_correction/${encodeURIComponent(character)}`, undefined, timeoutMs);
  }

  async reload(): Promise<void> {
    await this.request('POST', '/reload');
  }

  renameCharacter(oldName: string, newName: string): Promise<CharacterFilesResult> {
    return this.json(CharacterFilesResultSchema, 'POST', `/characters/${encodeURIComponent(oldName)}/rename`, { new_name: newName });
  }

  deleteCharacter(name: string): Promise<CharacterFilesResult> {
    return this.json(CharacterFilesResultSchema, 'DELETE', `/characters/${encodeURIComponent(name)}`);
  }

  // The memory browser's calls (the structured API), forwarded by main's /api/memory/browser routes.

  history(character: string, query: { from?: string; to?: string; before_id?: string; limit?: number; q?: string }): Promise<HistoryPage> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
    return this.json(HistoryPageSchema, 'GET', `/history/${encodeURIComponent(character)}?${params}`);
  }

  editItem(character: string, id: string, text: string) {
    return this.json(ItemChangeResultSchema, 'PATCH', `/history/${encodeURIComponent(character)}/${encodeURIComponent(id)}`, { text });
  }

  forgetItem(character: string, id: string) {
    return this.json(ItemChangeResultSchema, 'DELETE', `/history/${encodeURIComponent(character)}/${encodeURIComponent(id)}`);
  }

  recentWindow(character: string): Promise<RecentWindow> {
    return this.json(RecentWindowSchema, 'GET', `/recent/${encodeURIComponent(character)}`);
  }

  facts(character: string) {
    return this.json(FactsResultSchema, 'GET', `/facts/${encodeURIComponent(character)}`);
  }

  editFact(character: string, id: string, value: string) {
    return this.json(FactChangeResultSchema, 'PATCH', `/facts/${encodeURIComponent(character)}/${encodeURIComponent(id)}`, { value });
  }

  forgetFact(character: string, id: string) {
    return this.json(FactChangeResultSchema, 'DELETE', `/facts/${encodeURIComponent(character)}/${encodeURIComponent(id)}`);
  }
}
