import type { ConnectOptions, ProviderCapabilities } from './realtime.js';
import { audioAppend, responseCancel, responseCreate, type Json, type RealtimeDialect, type SessionParams } from './wire/dialect.js';
import { mapRealtimeServerEvent, type RealtimeWireEvent } from './wire/realtime-events.js';
import { WsProviderBase } from './ws-provider-base.js';

/** After an "overloaded" error, microphone audio is dropped this long (websocket.md §4.1 backpressure). */
const BUSY_THROTTLE_MS = 2_000;

export interface RealtimeEndpoint {
  /** Realtime WebSocket URL from the catalogue (`wss://…/realtime`). */
  url: string;
  model: string;
  apiKey: string;
  /** Provider key to report (defaults to the dialect's); `sim` reuses the OpenAI dialect. */
  provider?: string;
  connectTimeoutMs?: number;
}

/** `{url}?model={model}`; the original's free tier URL is used as-is. */
export function realtimeUrl(url: string, model: string): string {
  if (model === 'free-model') return url;
  return `${url}${url.includes('?') ? '&' : '?'}model=${encodeURIComponent(model)}`;
}

/**
 * One realtime connection to an OpenAI-style provider (OpenAI, Qwen Omni, GLM, StepFun). The dialect
 * supplies the wire differences; this class keeps the per-reply state the wire mapping cannot:
 * barge-in and silent suppression, and holding reply text until the user's transcript is out.
 */
export class RealtimeWsClient extends WsProviderBase {
  readonly provider: string;
  readonly capabilities: ProviderCapabilities;
  private session: SessionParams | null = null;
  private eventSeq = 0;
  private throttledUntil = 0;

  /** The reply between response.created and response.done, if any. */
  private activeResponseId: string | null = null;
  /** A reply we cancelled: its late output is dropped even after the next reply starts. */
  private interruptedResponseId: string | null = null;
  /** response.create calls marked silent that have not yet been matched to a response.created. */
  private pendingSilent = 0;
  private readonly silentResponseIds = new Set<string>();
  /** Session changes to undo after the reply to a context prime (Qwen instructions). */
  private pendingRestore: Json[] | null = null;
  private restoreAfter: { responseId: string; events: Json[] } | null = null;

  private replyText = '';
  private replyTextEmitted = false;
  /** Between speech_stopped and the user's transcript: reply text waits so the user's bubble comes first. */
  private awaitingInputTranscript = false;
  private heldText: Array<{ text: string; source: 'text' | 'transcript' }> = [];

  constructor(
    private readonly dialect: RealtimeDialect,
    private readonly endpoint: RealtimeEndpoint,
  ) {
    super(endpoint.connectTimeoutMs);
    this.provider = endpoint.provider ?? dialect.provider;
    this.capabilities = dialect.capabilities;
  }

  async connect(opts: ConnectOptions): Promise<void> {
    this.session = { model: this.endpoint.model, instructions: opts.instructions, audioOutput: opts.audioOutput, voice: opts.voice };
    await this.openSocket(
      realtimeUrl(this.endpoint.url, this.endpoint.model),
      { Authorization: `Bearer ${this.endpoint.apiKey}` },
      opts.signal,
    );
  }

  protected onOpen(): void {
    if (this.session) this.send(this.dialect.sessionUpdate(this.session));
  }

  sendAudio(pcm: Buffer): void {
    if (Date.now() < this.throttledUntil) return;
    this.send(audioAppend(pcm));
  }

  sendText(text: string): void {
    this.cancelActiveReply();
    for (const event of this.dialect.textTurn(text)) this.send(event);
    this.send(responseCreate());
  }

  sendImage(jpegBase64: string): void {
    const event = this.dialect.imageEvent(jpegBase64);
    if (event) this.send(event);
  }

  createResponse(text: string, opts: { silent: boolean }): void {
    if (!this.session) return;
    this.cancelActiveReply();
    const { before, restore } = this.dialect.contextPrime(text, this.session);
    for (const event of before) this.send(event);
    if (restore.length) this.pendingRestore = restore;
    if (this.send(responseCreate()) && opts.silent) this.pendingSilent += 1;
  }

  interrupt(): void {
    this.cancelActiveReply();
  }

  private send(event: Json): boolean {
    // The original stamps every outgoing event with event_<ms>; a counter keeps ids unique within a millisecond.
    return this.sendJson({ event_id: `event_${Date.now()}_${++this.eventSeq}`, ...event });
  }

  /** Suppresses the reply in progress at once and asks the provider to stop it. */
  private cancelActiveReply(): void {
    if (!this.activeResponseId) return;
    this.interruptedResponseId = this.activeResponseId;
    this.heldText = [];
    this.send(responseCancel());
  }

  private isSuppressed(responseId: string | undefined): boolean {
    const id = responseId ?? this.activeResponseId;
    if (id === null) return false;
    return id === this.interruptedResponseId || this.silentResponseIds.has(id);
  }

  protected onMessage(message: Json): void {
    const event = mapRealtimeServerEvent(message, this.dialect.quirks);
    if (event) this.handle(event);
  }

  private handle(event: RealtimeWireEvent): void {
    switch (event.kind) {
      case 'session_ready':
        this.markReady();
        return;
      case 'response_created':
        return this.onResponseCreated(event.responseId);
      case 'text_delta':
        if (this.isSuppressed(event.responseId) || !event.text) return;
        this.replyText += event.text;
        if (this.awaitingInputTranscript) this.heldText.push({ text: event.text, source: event.source });
        else this.emitText(event.text, event.source);
        return;
      case 'transcript_done':
        // Some providers send the transcript only at the end: emit it whole if no delta came.
        if (this.isSuppressed(event.responseId) || this.replyText || !event.text) return;
        this.replyText = event.text;
        if (this.awaitingInputTranscript) this.heldText.push({ text: event.text, source: 'transcript' });
        else this.emitText(event.text, 'transcript');
        return;
      case 'audio_delta':
        if (!this.isSuppressed(event.responseId) && event.pcm.length > 0) this.emit('audio', { pcm: event.pcm });
        return;
      case 'input_transcript':
        this.emit('input_transcript', { text: event.text });
        this.releaseHeldText();
        return;
      case 'speech_started':
        this.emit('speech_started');
        this.cancelActiveReply();
        return;
      case 'speech_stopped':
        this.awaitingInputTranscript = true;
        this.emit('speech_stopped');
        return;
      case 'response_done':
        return this.onResponseDone(event.responseId, event.status);
      case 'error':
        if (event.code === 'SERVER_BUSY_THROTTLE') this.throttledUntil = Date.now() + BUSY_THROTTLE_MS;
        if (!this.isReady) {
          this.failConnect(event, event.message);
          return;
        }
        this.reportError(event, event.message);
        return;
    }
  }

  private onResponseCreated(responseId: string): void {
    this.activeResponseId = responseId;
    this.replyText = '';
    this.replyTextEmitted = false;
    if (this.pendingSilent > 0) {
      this.pendingSilent -= 1;
      this.silentResponseIds.add(responseId);
    }
    if (this.pendingRestore) {
      this.restoreAfter = { responseId, events: this.pendingRestore };
      this.pendingRestore = null;
    }
    if (!this.silentResponseIds.has(responseId)) this.emit('response_started', { responseId });
  }

  private onResponseDone(responseId: string, status: string): void {
    const silent = this.silentResponseIds.delete(responseId);
    const cancelled = status === 'cancelled' || responseId === this.interruptedResponseId;
    if (!silent && !cancelled) this.releaseHeldText();
    this.heldText = [];
    this.awaitingInputTranscript = false;
    if (!silent) this.emit('response_done', { responseId, text: this.replyText, cancelled });
    if (this.activeResponseId === responseId) this.activeResponseId = null;
    if (this.restoreAfter?.responseId === responseId) {
      for (const event of this.restoreAfter.events) this.send(event);
      this.restoreAfter = null;
    }
  }

  private emitText(text: string, source: 'text' | 'transcript'): void {
    this.emit('text', { text, first: !this.replyTextEmitted, source });
    this.replyTextEmitted = true;
  }

  private releaseHeldText(): void {
    this.awaitingInputTranscript = false;
    const held = this.heldText;
    this.heldText = [];
    for (const h of held) this.emitText(h.text, h.source);
  }

  protected override onClosed(): void {
    this.activeResponseId = null;
    this.heldText = [];
  }
}
