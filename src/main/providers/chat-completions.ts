import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ConnectOptions, ProviderCapabilities, ProviderErrorCode, ProviderEvents, RealtimeProvider } from './realtime.js';
import { DEFAULT_MAX_REPLY_UNITS, DEFAULT_REPLY_REROLLS, ReplyFence, replyLength } from './reply-guard.js';
import {
  chatRequestBody, isTransientStatus, mapChatChunk, mapChatHttpError, SseReader, userMessageWithImages, type ChatMessage,
} from './wire/chat-completions.js';

export interface ChatEndpoint {
  baseUrl: string;
  model: string;
  apiKey: string;
}

export interface ChatCompletionsOptions {
  /** Conversation model. */
  conversation: ChatEndpoint;
  /** Model used for the one request that carries images; defaults to the conversation model. */
  vision?: ChatEndpoint;
  provider?: string;
  /** Waits between attempts; its length + 1 is the attempt count (the original: 3 attempts, 1 s then 2 s). */
  retryDelaysMs?: readonly number[];
  /** Deadline for one whole request, streaming included. */
  requestTimeoutMs?: number;
  /** Length guard: a reply longer than this (reply-guard.ts units) is discarded and asked for again; 0 = no guard. */
  maxReplyUnits?: number;
  /** How many times a discarded reply is asked for again before the turn gives up. */
  rerolls?: number;
}

const DEFAULT_RETRY_DELAYS_MS = [1_000, 2_000];
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
/** The text the original sends when only images are pending (it asks the model to look at them). */
const IMAGES_ONLY_PROMPT = '请分析这些图片。';
/** Codes after which this endpoint will not work for any later turn either. */
const FATAL_CHAT_CODES: ReadonlySet<ProviderErrorCode> = new Set<ProviderErrorCode>(['API_KEY_REJECTED', 'API_ARREARS']);

class AttemptError extends Error {
  constructor(
    readonly code: ProviderErrorCode,
    message: string,
    readonly transient: boolean,
  ) {
    super(message);
  }
}

/**
 * Text-mode provider for any OpenAI-compatible `/chat/completions` endpoint (fetch + SSE). Keeps the
 * history, streams each reply as `text` events, always ends a turn with `response_done` (after an `error`
 * when it failed), and lets a new text interrupt the reply in flight.
 */
export class ChatCompletionsClient extends EventEmitter<ProviderEvents> implements RealtimeProvider {
  readonly connectionId = randomUUID();
  readonly provider: string;
  readonly capabilities: ProviderCapabilities;
  private history: ChatMessage[] = [];
  private pendingImages: string[] = [];
  private inFlight: { controller: AbortController; done: Promise<void> } | null = null;
  private closed = false;
  private turnCount = 0;

  constructor(private readonly opts: ChatCompletionsOptions) {
    super();
    this.provider = opts.provider ?? 'chat';
    this.capabilities = { audioInput: false, audioOutput: false, vision: true, serverVad: false, inputSampleRate: 16000, outputSampleRate: 24000 };
  }

  async connect(opts: ConnectOptions): Promise<void> {
    this.history = [{ role: 'system', content: opts.instructions }];
  }

  sendAudio(): void {
    // Text-only endpoint: speech reaches it as text after speech-to-text.
  }

  sendImage(jpegBase64: string): void {
    this.pendingImages.push(jpegBase64);
  }

  sendText(text: string): void {
    const images = this.pendingImages;
    this.pendingImages = [];
    const prompt = text.trim() || (images.length ? IMAGES_ONLY_PROMPT : '');
    if (!prompt) return;
    // History keeps the text only: the conversation model may not accept images in later requests.
    this.startTurn({ role: 'user', content: prompt }, userMessageWithImages(prompt, images), images.length > 0);
  }

  /** Context (agent results, hot-swap prime) goes into the history; only a non-silent prime asks for a reply. */
  createResponse(text: string, opts: { silent: boolean }): void {
    const context: ChatMessage = { role: 'system', content: text.replace(/^SYSTEM_MESSAGE \| /, '') };
    if (opts.silent) {
      this.history.push(context);
      return;
    }
    this.startTurn(context, context, false);
  }

  interrupt(): void {
    this.inFlight?.controller.abort();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const flight = this.inFlight;
    flight?.controller.abort();
    await flight?.done;
    this.history = [];
    this.emit('closed', { byServer: false });
  }

  private startTurn(historyEntry: ChatMessage, requestEntry: ChatMessage, withImages: boolean): void {
    if (this.closed) return;
    const previous = this.inFlight;
    previous?.controller.abort();
    const controller = new AbortController();
    const done = (async () => {
      await previous?.done; // the aborted reply finishes (and records its partial text) first
      const messages = [...this.history, requestEntry];
      this.history.push(historyEntry);
      await this.runTurn(messages, withImages ? (this.opts.vision ?? this.opts.conversation) : this.opts.conversation, controller.signal);
    })();
    const flight = { controller, done };
    this.inFlight = flight;
    void done.finally(() => {
      if (this.inFlight === flight) this.inFlight = null;
    });
  }

  private async runTurn(messages: ChatMessage[], endpoint: ChatEndpoint, signal: AbortSignal): Promise<void> {
    const responseId = `${this.connectionId}:turn-${++this.turnCount}`;
    const maxUnits = this.opts.maxReplyUnits === 0 ? Infinity : (this.opts.maxReplyUnits ?? DEFAULT_MAX_REPLY_UNITS);
    const rerolls = this.opts.rerolls ?? DEFAULT_REPLY_REROLLS;
    let text = '';
    let cancelled = false;
    this.emit('response_started', { responseId });
    try {
      for (let attempt = 1; ; attempt++) {
        text = '';
        const verdict = await this.streamGuarded(messages, endpoint, signal, maxUnits, (delta) => {
          this.emit('text', { text: delta, first: text === '', source: 'text' });
          text += delta;
        });
        if (verdict === 'complete') break;
        // Too long: what was shown is void; the reply is asked for again, up to `rerolls` times.
        text = '';
        const willRetry = attempt <= rerolls;
        this.emit('response_discarded', { responseId, reason: `length>${maxUnits}`, attempt, maxAttempts: rerolls, willRetry });
        if (!willRetry) break;
      }
    } catch (err) {
      if (signal.aborted) cancelled = true;
      else this.reportFailure(err);
    } finally {
      if (text) this.history.push({ role: 'assistant', content: text });
      this.emit('response_done', { responseId, text, cancelled });
    }
  }

  /**
   * One reply, with the original's retries for failures before the first delta; stops at the fence, and
   * stops early with 'too-long' once the reply passes `maxUnits` (no need to pay for the rest of it).
   */
  private async streamGuarded(
    messages: ChatMessage[], endpoint: ChatEndpoint, signal: AbortSignal, maxUnits: number, onDelta: (t: string) => void,
  ): Promise<'complete' | 'too-long'> {
    const delays = this.opts.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
    for (let attempt = 0; ; attempt++) {
      const fence = new ReplyFence();
      const stop = new AbortController();
      let stopped: 'fence' | 'too-long' | undefined;
      let shown = '';
      try {
        const onText = (kept: string) => {
          if (replyLength(shown + kept) > maxUnits) {
            stopped = 'too-long';
            stop.abort();
            return;
          }
          if (kept) {
            shown += kept;
            onDelta(kept);
          }
        };
        await this.streamOnce(messages, endpoint, AbortSignal.any([signal, stop.signal]), (delta) => {
          if (stopped) return;
          onText(fence.pass(delta));
          if (fence.closed && !stopped) {
            stopped = 'fence';
            stop.abort();
          }
        });
        if (!stopped) onText(fence.flush());
        return stopped === 'too-long' ? 'too-long' : 'complete';
      } catch (err) {
        if (signal.aborted) throw err;
        if (stopped) return stopped === 'too-long' ? 'too-long' : 'complete';
        // Once text reached the user a retry would repeat it; only failures before the first delta retry.
        const retryable = err instanceof AttemptError ? err.transient : true;
        if (!retryable || shown || attempt >= delays.length) throw err;
        await sleep(delays[attempt], undefined, { signal });
      }
    }
  }

  /** The conversation starts again from the instructions (repetition reset). */
  resetHistory(): void {
    this.history = this.history.slice(0, 1);
  }

  private async streamOnce(messages: ChatMessage[], endpoint: ChatEndpoint, signal: AbortSignal, onDelta: (t: string) => void): Promise<void> {
    const timeout = AbortSignal.timeout(this.opts.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS);
    let res: Response;
    try {
      res = await fetch(`${endpoint.baseUrl.replace(/\/+$/, '')}/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${endpoint.apiKey}` },
        body: JSON.stringify(chatRequestBody(endpoint.model, messages)),
        signal: AbortSignal.any([signal, timeout]),
      });
    } catch (err) {
      if (signal.aborted) throw err;
      throw new AttemptError('LLM_CONNECTION_FAILED', `cannot reach ${endpoint.baseUrl}: ${(err as Error).message}`, true);
    }
    if (!res.ok) {
      const { message, classified } = mapChatHttpError(res.status, await res.text().catch(() => ''));
      throw new AttemptError(classified.code, message, isTransientStatus(res.status));
    }
    if (!res.body) throw new AttemptError('API_UNKNOWN_ERROR', 'empty response body', true);
    if (!(res.headers.get('content-type') ?? '').includes('text/event-stream')) {
      // A server that ignores `stream: true` answers with one JSON completion.
      const json = (await res.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
      const content = json.choices?.[0]?.message?.content;
      if (typeof content === 'string' && content) onDelta(content);
      return;
    }
    const reader = new SseReader();
    const decoder = new TextDecoder();
    for await (const chunk of res.body) {
      for (const payload of reader.push(decoder.decode(chunk as Uint8Array, { stream: true }))) {
        const mapped = mapChatChunk(payload);
        if (mapped.kind === 'delta') onDelta(mapped.text);
        else if (mapped.kind === 'done') return;
        else if (mapped.kind === 'error') throw new AttemptError(mapped.classified.code, mapped.message, false);
      }
    }
  }

  private reportFailure(err: unknown): void {
    const code: ProviderErrorCode = err instanceof AttemptError ? err.code : 'API_UNKNOWN_ERROR';
    const message = err instanceof Error ? err.message : String(err);
    if (this.listenerCount('error') > 0) this.emit('error', { code, message, fatal: FATAL_CHAT_CODES.has(code) });
  }
}
