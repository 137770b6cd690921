import type WebSocket from 'ws';
import { brainReply } from './brain.js';
import { streamReply, type ReplyPacing } from './reply-stream.js';
import type { SimSessionSnapshot, SimStats } from './stats.js';
import { speechNote, transcribeUtterance } from './transcribe.js';
import { EnergyVad } from './vad.js';

type Json = Record<string, unknown>;

/** Gemini rejects a bad key by closing with 1007 and this reason (no HTTP error on the upgrade). */
export const GEMINI_BAD_KEY_CLOSE = { code: 1007, reason: 'API key not valid. Please pass a valid API key.' } as const;

const OUTPUT_MIME = 'audio/pcm;rate=24000';

function rateOf(mimeType: unknown): number {
  const m = /rate=(\d+)/.exec(String(mimeType ?? ''));
  return m ? Number(m[1]) : 16000;
}

function textOfTurns(turns: unknown): string {
  if (!Array.isArray(turns)) return '';
  return turns
    .filter((t: Json) => t && t.role !== 'model')
    .flatMap((t: Json) => (Array.isArray(t.parts) ? (t.parts as Json[]) : []))
    .map((p) => (typeof p.text === 'string' ? p.text : ''))
    .join(' ')
    .trim();
}

/**
 * One client connection on the sim's Gemini Live (BidiGenerateContent) endpoint: setup → setupComplete,
 * realtimeInput audio with automatic activity detection (interrupting a reply when the user speaks),
 * clientContent text turns, and replies as modelTurn inlineData audio with output transcriptions.
 */
export class SimGeminiSession {
  private setup: Json | null = null;
  private vad: EnergyVad | null = null;
  private vadRate = 16000;
  private reply: AbortController | null = null;
  private newImages = 0;
  private images = 0;
  private turnQueue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly opts: { pacing: ReplyPacing; stats: SimStats; model: string },
  ) {
    ws.on('message', (data, isBinary) => this.onMessage(data.toString(), isBinary));
    ws.on('close', () => {
      this.closed = true;
      this.reply?.abort();
    });
  }

  snapshot(): SimSessionSnapshot {
    return { protocol: 'gemini', dialect: 'gemini', model: String(this.setup?.model ?? this.opts.model), config: this.setup ?? {}, images: this.images };
  }

  private send(message: Json): void {
    if (!this.closed && this.ws.readyState === this.ws.OPEN) this.ws.send(JSON.stringify(message));
  }

  private onMessage(raw: string, _isBinary: boolean): void {
    let message: Json;
    try {
      message = JSON.parse(raw) as Json;
    } catch {
      return this.ws.close(1007, 'Invalid JSON payload received.');
    }
    if (message.setup) {
      this.setup = message.setup as Json;
      return this.send({ setupComplete: {} });
    }
    if (!this.setup) return this.ws.close(1007, 'Request contains an invalid argument: setup must be the first message.');
    if (message.realtimeInput) return this.onRealtimeInput(message.realtimeInput as Json);
    if (message.clientContent) {
      const content = message.clientContent as Json;
      const text = textOfTurns(content.turns);
      if (content.turnComplete === true) this.enqueueReply(text || null, 'text');
    }
  }

  private onRealtimeInput(input: Json): void {
    const audio = input.audio as Json | undefined;
    if (audio && typeof audio.data === 'string') this.onAudio(Buffer.from(audio.data, 'base64'), rateOf(audio.mimeType));
    const media = [input.video, ...(Array.isArray(input.mediaChunks) ? input.mediaChunks : [])] as Array<Json | undefined>;
    for (const m of media) {
      if (m && String(m.mimeType ?? '').startsWith('image/')) {
        this.images += 1;
        this.newImages += 1;
        this.opts.stats.imagesReceived += 1;
      }
    }
    if (typeof input.text === 'string' && input.text) this.enqueueReply(input.text, 'text');
  }

  private onAudio(pcm: Buffer, rate: number): void {
    this.opts.stats.audioBytesReceived += pcm.length;
    if (!this.vad || rate !== this.vadRate) {
      this.vadRate = rate;
      this.vad = new EnergyVad(rate);
    }
    for (const event of this.vad.push(pcm)) {
      if (event.kind === 'speech_started') {
        if (this.reply) {
          this.reply.abort();
          this.send({ serverContent: { interrupted: true } });
        }
        continue;
      }
      const { utterance, speechSeconds } = event;
      this.turnQueue = this.turnQueue.then(async () => {
        const transcript = await transcribeUtterance(utterance, rate, speechSeconds).catch(() => speechNote(speechSeconds));
        this.send({ serverContent: { inputTranscription: { text: transcript } } });
        await this.respond(transcript, 'speech');
      }).catch(() => {
        this.reply = null;
      });
    }
  }

  private enqueueReply(text: string | null, via: 'text' | 'speech'): void {
    // A new client turn interrupts the reply in progress, as Gemini does.
    if (this.reply) {
      this.reply.abort();
      this.send({ serverContent: { interrupted: true } });
    }
    this.turnQueue = this.turnQueue.then(() => this.respond(text, via)).catch(() => {
        this.reply = null;
      });
  }

  private speaks(): boolean {
    const config = (this.setup?.generationConfig ?? {}) as Json;
    const modalities = config.responseModalities;
    return !Array.isArray(modalities) || modalities.includes('AUDIO');
  }

  private async respond(heard: string | null, via: 'text' | 'speech'): Promise<void> {
    if (this.closed) return;
    const abort = new AbortController();
    this.reply = abort;
    this.opts.stats.responsesStarted += 1;
    const text = brainReply({ heard, via, newImages: this.newImages });
    this.newImages = 0;
    const emit = {
      audio: (pcm: Buffer, words: string) => {
        this.send({ serverContent: { modelTurn: { role: 'model', parts: [{ inlineData: { mimeType: OUTPUT_MIME, data: pcm.toString('base64') } }] } } });
        if (words) this.send({ serverContent: { outputTranscription: { text: words } } });
      },
      text: (words: string) => this.send({ serverContent: { modelTurn: { role: 'model', parts: [{ text: words }] } } }),
    };
    let completed: boolean;
    try {
      completed = await streamReply(text, this.speaks(), this.opts.pacing, abort.signal, emit);
    } catch {
      completed = await streamReply(text, false, this.opts.pacing, abort.signal, emit);
    }
    if (this.reply === abort) this.reply = null;
    if (!completed) {
      this.opts.stats.responsesCancelled += 1;
      return; // `interrupted` was already sent; Gemini ends an interrupted turn without turnComplete
    }
    this.opts.stats.responsesCompleted += 1;
    this.send({ serverContent: { generationComplete: true } });
    this.send({ serverContent: { turnComplete: true }, usageMetadata: { totalTokenCount: text.length } });
  }
}
