import { randomBytes } from 'node:crypto';
import type WebSocket from 'ws';
import { brainReply } from './brain.js';
import { streamReply, type ReplyPacing } from './reply-stream.js';
import type { SimSessionSnapshot, SimStats } from './stats.js';
import { speechNote, transcribeUtterance } from './transcribe.js';
import { EnergyVad } from './vad.js';

type Json = Record<string, unknown>;

/** Wire dialects of the OpenAI-style realtime family the sim speaks. */
export type SimRealtimeDialect = 'gpt' | 'qwen' | 'glm' | 'step';

/**
 * The original picked the dialect by model-name substring, checking glm, qwen, gpt, step, free in that
 * order (sessions.md §7.1); the free tier speaks Qwen's. The sim answers unknown names as OpenAI.
 */
export function dialectForModel(model: string): SimRealtimeDialect {
  const m = model.toLowerCase();
  if (m.includes('glm')) return 'glm';
  if (m.includes('qwen') || m.includes('free')) return 'qwen';
  if (m.includes('gpt')) return 'gpt';
  if (m.includes('step')) return 'step';
  return 'gpt';
}

/** OpenAI's GA names vs the beta names Qwen, GLM and StepFun still use. */
const EVENT_NAMES = {
  ga: {
    itemCreated: 'conversation.item.added', audioDelta: 'response.output_audio.delta', audioDone: 'response.output_audio.done',
    transcriptDelta: 'response.output_audio_transcript.delta', transcriptDone: 'response.output_audio_transcript.done',
    textDelta: 'response.output_text.delta', textDone: 'response.output_text.done',
  },
  beta: {
    itemCreated: 'conversation.item.created', audioDelta: 'response.audio.delta', audioDone: 'response.audio.done',
    transcriptDelta: 'response.audio_transcript.delta', transcriptDone: 'response.audio_transcript.done',
    textDelta: 'response.text.delta', textDone: 'response.text.done',
  },
} as const;

/** The handshake error body each provider sends with HTTP 401 (their documented shapes). */
export function realtimeAuthErrorBody(dialect: SimRealtimeDialect): Json {
  switch (dialect) {
    case 'qwen':
      return { code: 'InvalidApiKey', message: 'Invalid API-key provided.', request_id: randomId('req') };
    case 'glm':
      return { error: { code: '1000', message: '身份验证失败。' } };
    case 'gpt':
    case 'step':
      return { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', param: null, code: 'invalid_api_key' } };
  }
}

function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`;
}

function defaultSession(dialect: SimRealtimeDialect, model: string): Json {
  if (dialect === 'gpt') {
    return {
      type: 'realtime', object: 'realtime.session', id: randomId('sess'), model, instructions: '', output_modalities: ['audio'],
      audio: {
        input: { format: { type: 'audio/pcm', rate: 24000 }, transcription: null, turn_detection: { type: 'server_vad', create_response: true, interrupt_response: true } },
        output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy', speed: 1.0 },
      },
    };
  }
  return {
    object: 'realtime.session', id: randomId('sess'), model, instructions: '', modalities: ['text', 'audio'], voice: '',
    input_audio_format: 'pcm16', output_audio_format: 'pcm16', turn_detection: { type: 'server_vad' },
  };
}

/** session.update merges field by field; GA's nested `audio` object merges one level deeper. */
function mergeSession(current: Json, update: Json): Json {
  const next: Json = { ...current };
  for (const [key, value] of Object.entries(update)) {
    if (key === 'audio' && value && typeof value === 'object') {
      const cur = (current.audio ?? {}) as Json;
      const upd = value as Json;
      next.audio = {
        input: { ...((cur.input ?? {}) as Json), ...((upd.input ?? {}) as Json) },
        output: { ...((cur.output ?? {}) as Json), ...((upd.output ?? {}) as Json) },
      };
    } else next[key] = value;
  }
  return next;
}

interface ActiveResponse {
  id: string;
  itemId: string;
  abort: AbortController;
  reason: 'client_cancelled' | 'turn_detected' | null;
}

export interface SimRealtimeOptions {
  dialect: SimRealtimeDialect;
  model: string;
  pacing: ReplyPacing;
  stats: SimStats;
}

/**
 * One client connection on the sim's OpenAI-style realtime endpoint: server VAD over the appended audio,
 * a transcript of each utterance, and spoken replies from the brain, in the dialect's event names.
 */
export class SimRealtimeSession {
  private readonly names: (typeof EVENT_NAMES)['ga'] | (typeof EVENT_NAMES)['beta'];
  private session: Json;
  private vad: EnergyVad;
  private vadRate: number;
  private active: ActiveResponse | null = null;
  /** The user's latest text item, consumed by the next response.create. */
  private pendingUserText: string | null = null;
  private newImages = 0;
  private images = 0;
  private seq = 0;
  /** Utterances are transcribed and answered in order, one after the other. */
  private turnQueue: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly ws: WebSocket,
    private readonly opts: SimRealtimeOptions,
  ) {
    this.names = opts.dialect === 'gpt' ? EVENT_NAMES.ga : EVENT_NAMES.beta;
    this.session = defaultSession(opts.dialect, opts.model);
    this.vadRate = this.inputRate();
    this.vad = new EnergyVad(this.vadRate);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.onMessage(data.toString());
    });
    ws.on('close', () => {
      this.closed = true;
      this.active?.abort.abort();
    });
    this.send({ type: 'session.created', session: this.session });
  }

  snapshot(): SimSessionSnapshot {
    return { protocol: 'realtime', dialect: this.opts.dialect, model: this.opts.model, config: this.session, images: this.images };
  }

  private send(event: Json): void {
    if (this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(JSON.stringify({ event_id: `event_sim${++this.seq}`, ...event }));
  }

  private sendError(code: string, message: string, type = 'invalid_request_error'): void {
    this.send({ type: 'error', error: { type, code, message, param: null } });
  }

  /** gpt reads the GA format rate (24 kHz default); the others take 16 kHz PCM. */
  private inputRate(): number {
    if (this.opts.dialect !== 'gpt') return 16000;
    const audio = (this.session.audio ?? {}) as Json;
    const format = ((audio.input ?? {}) as Json).format as Json | undefined;
    return typeof format?.rate === 'number' ? format.rate : 24000;
  }

  private turnDetection(): Json {
    if (this.opts.dialect === 'gpt') return (((this.session.audio as Json | undefined)?.input as Json | undefined)?.turn_detection ?? {}) as Json;
    return (this.session.turn_detection ?? {}) as Json;
  }

  private speaks(): boolean {
    if (this.opts.dialect === 'step') return true; // StepFun always answers with audio
    const modalities = (this.opts.dialect === 'gpt' ? this.session.output_modalities : this.session.modalities) as unknown;
    return Array.isArray(modalities) && modalities.includes('audio');
  }

  private onMessage(raw: string): void {
    let event: Json;
    try {
      event = JSON.parse(raw) as Json;
    } catch {
      return this.sendError('invalid_json', 'The event is not valid JSON.');
    }
    switch (event.type) {
      case 'session.update':
        this.session = mergeSession(this.session, (event.session ?? {}) as Json);
        if (this.inputRate() !== this.vadRate) {
          this.vadRate = this.inputRate();
          this.vad = new EnergyVad(this.vadRate);
        }
        return this.send({ type: 'session.updated', session: this.session });
      case 'input_audio_buffer.append':
        return this.onAudio(Buffer.from(String(event.audio ?? ''), 'base64'));
      case 'input_audio_buffer.clear':
        this.vad.reset();
        return this.send({ type: 'input_audio_buffer.cleared' });
      case 'input_image_buffer.append':
      case 'input_audio_buffer.append_video_frame':
        return this.countImage();
      case 'conversation.item.create':
        return this.onItem((event.item ?? {}) as Json);
      case 'response.create':
        if (this.active) return this.sendError('conversation_already_has_active_response', 'Conversation already has an active response in progress.');
        this.respond(this.takeUserText(), 'text').catch(() => {
        this.active = null;
      });
        return;
      case 'response.cancel':
        if (!this.active) return this.sendError('response_cancel_not_active', 'Cancellation failed: no active response found.');
        if (this.opts.pacing.cancelDelayMs > 0) {
          const target = this.active;
          setTimeout(() => this.active === target && this.cancel('client_cancelled'), this.opts.pacing.cancelDelayMs);
          return;
        }
        return this.cancel('client_cancelled');
      default:
        return this.sendError('invalid_value', `Unsupported event type '${String(event.type)}'.`);
    }
  }

  private countImage(): void {
    this.images += 1;
    this.newImages += 1;
    this.opts.stats.imagesReceived += 1;
  }

  private takeUserText(): string | null {
    const text = this.pendingUserText;
    this.pendingUserText = null;
    return text;
  }

  private onItem(item: Json): void {
    const id = randomId('item');
    const content = Array.isArray(item.content) ? (item.content as Json[]) : [];
    for (const part of content) {
      if (part.type === 'input_image') this.countImage();
      if (part.type === 'input_text' && item.role === 'user') this.pendingUserText = String(part.text ?? '');
    }
    this.send({ type: this.names.itemCreated, previous_item_id: null, item: { ...item, id, status: 'completed' } });
  }

  private onAudio(pcm: Buffer): void {
    this.opts.stats.audioBytesReceived += pcm.length;
    for (const vadEvent of this.vad.push(pcm)) {
      const itemId = randomId('item');
      if (vadEvent.kind === 'speech_started') {
        this.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: vadEvent.atMs, item_id: itemId });
        // OpenAI cancels by itself when interrupt_response is on; the others wait for response.cancel.
        if (this.active && this.opts.dialect === 'gpt' && this.turnDetection().interrupt_response !== false) this.cancel('turn_detected');
        continue;
      }
      this.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: vadEvent.atMs, item_id: itemId });
      this.send({ type: 'input_audio_buffer.committed', previous_item_id: null, item_id: itemId });
      this.send({ type: this.names.itemCreated, previous_item_id: null, item: { id: itemId, type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] } });
      const { utterance, speechSeconds } = vadEvent;
      const rate = this.vadRate;
      this.turnQueue = this.turnQueue.then(async () => {
        const transcript = await transcribeUtterance(utterance, rate, speechSeconds).catch(() => speechNote(speechSeconds));
        this.send({ type: 'conversation.item.input_audio_transcription.completed', item_id: itemId, content_index: 0, transcript });
        if (this.turnDetection().create_response !== false && !this.active) await this.respond(transcript, 'speech');
      }).catch(() => {
        this.active = null;
      });
    }
  }

  private cancel(reason: 'client_cancelled' | 'turn_detected'): void {
    if (!this.active) return;
    this.active.reason = reason;
    this.active.abort.abort();
  }

  private async respond(heard: string | null, via: 'text' | 'speech'): Promise<void> {
    const response: ActiveResponse = { id: randomId('resp'), itemId: randomId('item'), abort: new AbortController(), reason: null };
    this.active = response;
    this.opts.stats.responsesStarted += 1;
    const text = brainReply({ heard, via, newImages: this.newImages });
    this.newImages = 0;
    const spoken = this.speaks();
    const base = { response_id: response.id, item_id: response.itemId, output_index: 0, content_index: 0 };
    this.send({ type: 'response.created', response: { id: response.id, object: 'realtime.response', status: 'in_progress', output: [] } });
    this.send({ type: 'response.output_item.added', response_id: response.id, output_index: 0, item: { id: response.itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] } });
    let completed = false;
    try {
      completed = await streamReply(text, spoken, this.opts.pacing, response.abort.signal, {
        audio: (pcm, words) => {
          this.send({ type: this.names.audioDelta, ...base, delta: pcm.toString('base64') });
          if (words) this.send({ type: this.names.transcriptDelta, ...base, delta: words });
        },
        text: (words) => this.send({ type: this.names.textDelta, ...base, delta: words }),
      });
    } catch {
      // Speech synthesis failed (espeak-ng or sox missing): still answer, as text.
      completed = await streamReply(text, false, this.opts.pacing, response.abort.signal, {
        audio: () => {},
        text: (words) => this.send({ type: this.names.textDelta, ...base, delta: words }),
      });
    }
    if (completed) {
      if (spoken) {
        this.send({ type: this.names.audioDone, ...base });
        this.send({ type: this.names.transcriptDone, ...base, transcript: text });
      } else this.send({ type: this.names.textDone, ...base, text });
      this.opts.stats.responsesCompleted += 1;
    } else this.opts.stats.responsesCancelled += 1;
    this.active = null;
    this.send({
      type: 'response.done',
      response: {
        id: response.id, object: 'realtime.response', status: completed ? 'completed' : 'cancelled',
        status_details: completed ? null : { type: 'cancelled', reason: response.reason ?? 'client_cancelled' },
        output: [{ id: response.itemId, type: 'message', role: 'assistant', status: completed ? 'completed' : 'incomplete', content: [{ type: spoken ? 'output_audio' : 'output_text', transcript: text }] }],
      },
    });
  }
}
