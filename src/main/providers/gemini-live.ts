import type { ConnectOptions, ProviderCapabilities } from './realtime.js';
import {
  geminiAudioInput, geminiImageInput, geminiSetup, geminiTextTurn, mapGeminiServerMessage, type GeminiSetupParams, type GeminiWireEvent,
} from './wire/gemini-live.js';
import { WsProviderBase } from './ws-provider-base.js';

export interface GeminiEndpoint {
  /** BidiGenerateContent WebSocket URL (catalogue `coreUrl`). */
  url: string;
  model: string;
  apiKey: string;
  provider?: string;
  connectTimeoutMs?: number;
}

/**
 * Gemini Live over a raw WebSocket. Gemini has no turn events of its own (no speech_started) and no
 * response ids: a "reply" runs from the first model content to turnComplete, and `interrupted` ends it
 * as cancelled. There is no cancel message either, so interrupt() drops the rest of the turn locally.
 */
export class GeminiLiveClient extends WsProviderBase {
  readonly provider: string;
  readonly capabilities: ProviderCapabilities = {
    audioInput: true, audioOutput: true, vision: true, serverVad: false, inputSampleRate: 16000, outputSampleRate: 24000,
  };
  private setup: GeminiSetupParams | null = null;
  private turnCount = 0;
  private activeResponseId: string | null = null;
  private replyText = '';
  /** After interrupt(): content until the provider ends that turn belongs to the dropped reply. */
  private discardUntilTurnEnd = false;
  /** Gemini streams the user's transcript in pieces; it is released as one text when the reply starts. */
  private inputTranscript = '';

  constructor(private readonly endpoint: GeminiEndpoint) {
    super(endpoint.connectTimeoutMs);
    this.provider = endpoint.provider ?? 'gemini';
  }

  async connect(opts: ConnectOptions): Promise<void> {
    this.setup = { model: this.endpoint.model, instructions: opts.instructions, voice: opts.voice };
    const sep = this.endpoint.url.includes('?') ? '&' : '?';
    await this.openSocket(`${this.endpoint.url}${sep}key=${encodeURIComponent(this.endpoint.apiKey)}`, {}, opts.signal);
  }

  protected onOpen(): void {
    if (this.setup) this.sendJson(geminiSetup(this.setup));
  }

  sendAudio(pcm: Buffer): void {
    this.sendJson(geminiAudioInput(pcm));
  }

  sendText(text: string): void {
    this.interrupt();
    this.sendJson(geminiTextTurn(text, true));
  }

  sendImage(jpegBase64: string): void {
    this.sendJson(geminiImageInput(jpegBase64));
  }

  /** A silent prime is sent as an incomplete turn: context only, so Gemini generates nothing to discard. */
  createResponse(text: string, opts: { silent: boolean }): void {
    if (!opts.silent) this.interrupt();
    this.sendJson(geminiTextTurn(text, !opts.silent));
  }

  interrupt(): void {
    if (!this.activeResponseId) return;
    this.discardUntilTurnEnd = true;
    this.finishReply(true);
  }

  protected onMessage(message: Record<string, unknown>): void {
    for (const event of mapGeminiServerMessage(message)) this.handle(event);
  }

  private handle(event: GeminiWireEvent): void {
    switch (event.kind) {
      case 'setup_complete':
        this.markReady();
        return;
      case 'input_transcript':
        this.inputTranscript += event.text;
        return;
      case 'audio':
        if (this.discardUntilTurnEnd) return;
        this.startReplyIfNeeded();
        this.emit('audio', { pcm: event.pcm });
        return;
      case 'text':
        if (this.discardUntilTurnEnd) return;
        this.startReplyIfNeeded();
        this.emit('text', { text: event.text, first: this.replyText === '', source: event.source });
        this.replyText += event.text;
        return;
      case 'interrupted':
        this.discardUntilTurnEnd = false;
        this.flushInputTranscript();
        if (this.activeResponseId) this.finishReply(true);
        return;
      case 'turn_complete':
        this.discardUntilTurnEnd = false;
        this.flushInputTranscript();
        if (this.activeResponseId) this.finishReply(false);
        return;
      case 'go_away':
        return; // the session renews connections on its own schedule; the close that follows is reported normally
    }
  }

  private startReplyIfNeeded(): void {
    if (this.activeResponseId) return;
    this.flushInputTranscript();
    this.activeResponseId = `${this.connectionId}:turn-${++this.turnCount}`;
    this.replyText = '';
    this.emit('response_started', { responseId: this.activeResponseId });
  }

  private finishReply(cancelled: boolean): void {
    const responseId = this.activeResponseId!;
    this.activeResponseId = null;
    this.emit('response_done', { responseId, text: this.replyText, cancelled });
  }

  private flushInputTranscript(): void {
    const text = this.inputTranscript.trim();
    this.inputTranscript = '';
    if (text) this.emit('input_transcript', { text });
  }

  protected override onClosed(): void {
    this.activeResponseId = null;
  }
}
