import { randomUUID } from 'node:crypto';
import type { Logger } from '../../shared/log.js';
import type { UiLanguage } from '../../shared/config/default-characters.js';
import type { InputMode } from '../../shared/protocol/ws-server.js';
import { statusMessage } from '../../shared/protocol/ws-server.js';
import type { MemoryOutbox } from '../bridges/memory-outbox.js';
import type { RealtimeProvider } from '../providers/realtime.js';
import type { SpeechOutput } from '../tts/speech-output.js';
import { HotSwap, type HotSwapTiming } from './hot-swap.js';
import { RepetitionWatch } from './repetition-watch.js';
import { sessionInstructions, swapPrime, taskResultLine, type PromptNames } from './prompt.js';
import { SessionPhaseMachine } from './session-phase.js';
import { stripTags, TurnLog } from './turn-log.js';
import type { CharacterSessionControl, PageSocket } from './session-registry.js';

/** The page socket as a session uses it: JSON messages plus audio frames tagged with a speech id. */
export interface SessionSocket extends PageSocket {
  sendAudio(speechId: string, audio: Buffer): boolean;
}

/** Audio conversions a session needs; CPU work happens off the event loop (worker threads). */
export interface SessionAudio {
  /** One microphone frame (PCM16 at `rate`) → PCM16 at the provider's input rate. Results resolve in call order. */
  input(pcm: Buffer, rate: number, toRate: number): Promise<Buffer>;
  /** Provider audio (PCM16 at `rate`) → 48 kHz PCM16 for the page. Results resolve in call order. */
  output(pcm: Buffer, rate: number): Promise<Buffer>;
  /** A new reply begins: forget the output filter state. */
  resetOutput(): void;
  close(): void;
}

export interface ProviderFactory {
  (mode: InputMode): Promise<{ provider: RealtimeProvider; notice?: string }>;
}

export interface AgentHooks {
  requestAnalyze(req: { trigger: 'turn_end' | 'session_end'; lanlan_name: string; messages: { role: string; content: string }[] }): Promise<boolean>;
}

export interface SessionTiming extends HotSwapTiming {
  /** Longest a provider connect may take before the start counts as failed. */
  startTimeoutMs: number;
  /** Memory context at start must not hold the start up for long. */
  memoryTimeoutMs: number;
  /** Start failures in a row before auto-start pauses, and for how long. */
  maxStartFailures: number;
  failureCooldownMs: number;
  /** Screen frames to a realtime provider: at most one per interval (× idle multiplier when the user is quiet). */
  imageIntervalMs: number;
  idleImageMultiplier: number;
  /** How long after the last speech the user counts as active for image pacing. */
  activeGraceMs: number;
}

export const DEFAULT_TIMING: SessionTiming = {
  renewAfterMs: 40_000,
  prepDelayMs: 10_000,
  startTimeoutMs: 15_000,
  memoryTimeoutMs: 2_000,
  maxStartFailures: 3,
  failureCooldownMs: 3_000,
  imageIntervalMs: 1_500,
  idleImageMultiplier: 5,
  activeGraceMs: 2_000,
};

export interface CharacterSessionDeps {
  character: string;
  log: Logger;
  /** Character prompt, master name and UI language, read fresh at each start (settings may have changed). */
  profile: () => { prompt: string; names: PromptNames; language: UiLanguage };
  memoryContext: (character: string, timeoutMs: number) => Promise<string>;
  outbox: MemoryOutbox;
  createProvider: ProviderFactory;
  audio: SessionAudio;
  agent?: AgentHooks;
  /** Voices replies when the provider does not speak (text models, or a custom voice); absent = text only. */
  speech?: () => SpeechOutput;
  /**
   * The character has its own voice (a cloned voice or a custom TTS server): then a realtime model runs
   * text-only and TTS speaks its replies (sessions.md §5.1 step 7). Read at each session start.
   */
  customVoice?: () => boolean;
  timing?: Partial<SessionTiming>;
}

/** Most microphone audio kept while a replacement session connects: 30 s at 16 kHz PCM16. */
const MAX_HELD_AUDIO_BYTES = 30 * 16_000 * 2;
/** Input that arrives while a session is starting is replayed afterwards; beyond this much it is dropped (oldest first). */
const MAX_PENDING_INPUTS = 2_000;
/** Interrupted speech ids remembered, so late audio of an interrupted reply is dropped. */
const INTERRUPTED_IDS_KEPT = 16;

type PendingInput =
  | { kind: 'audio'; pcm: Buffer; rate: number }
  | { kind: 'text'; text: string }
  | { kind: 'image'; base64: string };

export interface AgentResult {
  task_id?: string;
  channel?: string;
  status?: string;
  success: boolean;
  summary: string;
  detail?: string;
}

/**
 * One character's conversation: its provider session (and the one being prepared for a hot-swap), the page
 * socket it talks to, speech ids, and the hooks to memory and agent. Lifecycle transitions go through one
 * explicit state machine (SessionPhaseMachine); events from a provider connection that is no longer current
 * are dropped by connection id, which keeps stale callbacks after a swap or reconnect harmless.
 */
export class CharacterSession implements CharacterSessionControl {
  readonly phase = new SessionPhaseMachine();
  private readonly log: Logger;
  private readonly timing: SessionTiming;
  private readonly hotSwap: HotSwap;
  private socket?: SessionSocket;
  private provider?: RealtimeProvider;
  /** TTS for the current session when its provider does not speak. */
  private speech?: SpeechOutput;
  /** Per connected provider: whether its own voice is heard (decided at connect, see speaksItself). */
  private readonly nativeAudio = new WeakMap<RealtimeProvider, boolean>();
  private mode: InputMode = 'audio';
  private turns = new TurnLog();
  private speechId = randomUUID();
  private readonly interruptedIds: string[] = [];
  private pendingInputs: PendingInput[] = [];
  private startFailures = 0;
  private lastFailureAt = 0;
  private sessionStartedAt = 0;
  private replyOpen = false;
  private replyHadOutput = false;
  private repetition = new RepetitionWatch();
  private awaitingReply = false;
  private userSpeaking = false;
  private lastSpeechAt = 0;
  /** Last time the user spoke or typed (proactive chat waits for the user to be idle). */
  private lastUserActivityAt = 0;
  private lastImageAt = 0;
  /** Microphone audio held while the provider connection is being replaced; flushed into the new one. */
  private heldAudio: Buffer[] = [];
  private heldBytes = 0;
  private holdingAudio = false;
  private readonly agentResults: AgentResult[] = [];
  /** Lifecycle operations (start, end, mode switch) run one at a time, in arrival order. */
  private ops: Promise<void> = Promise.resolve();
  private endRequested = false;
  private language?: UiLanguage;
  readonly counters = { audioFramesIn: 0, audioFramesToProvider: 0, audioFramesHeld: 0, audioFramesDropped: 0, swaps: 0, reconnects: 0 };

  constructor(private readonly deps: CharacterSessionDeps) {
    this.log = deps.log.child({ character: deps.character });
    this.timing = { ...DEFAULT_TIMING, ...deps.timing };
    this.hotSwap = new HotSwap(this.timing);
  }

  get character(): string {
    return this.deps.character;
  }

  get currentSpeechId(): string {
    return this.speechId;
  }

  get inputMode(): InputMode {
    return this.mode;
  }

  get swapState(): string {
    return this.hotSwap.state;
  }

  /** Milliseconds since the user last spoke or typed (Infinity when never). */
  idleMs(now = Date.now()): number {
    return this.lastUserActivityAt ? now - this.lastUserActivityAt : Infinity;
  }

  /** A reply is being streamed (proactive chat must not talk over it). */
  isReplying(): boolean {
    return this.replyOpen || this.awaitingReply;
  }

  hasPage(): boolean {
    return this.socket !== undefined;
  }

  // ─── CharacterSessionControl (used by REST routes) ───────────────────────────

  isActive(): boolean {
    return this.phase.is('live') || this.phase.is('starting');
  }

  isVoiceActive(): boolean {
    return this.isActive() && this.mode === 'audio';
  }

  end(reason: string): Promise<void> {
    return this.endSession({ byClient: false, reason });
  }

  // ─── page socket ─────────────────────────────────────────────────────────────

  attachSocket(socket: SessionSocket): void {
    this.socket = socket;
    if (this.agentResults.length && !this.isActive()) void this.deliverAgentResults();
  }

  /** The page went away: end the provider session (the original's cleanup), keep pending agent results. */
  detachSocket(socket: SessionSocket): void {
    if (this.socket !== socket) return;
    this.socket = undefined;
    void this.endSession({ byClient: false, reason: 'page disconnected' });
  }

  private send(message: Record<string, unknown>): void {
    this.socket?.send(message);
  }

  private status(code: string, details?: Record<string, unknown>): void {
    this.send(statusMessage(code, details));
  }

  setUserLanguage(language: string): void {
    const l = language.toLowerCase();
    this.language = l.startsWith('zh') ? (/tw|hk|hant/.test(l) ? 'zh-TW' : 'zh-CN') : l.startsWith('ja') ? 'ja' : l.startsWith('ko') ? 'ko' : l.startsWith('ru') ? 'ru' : 'en';
  }

  // ─── lifecycle ───────────────────────────────────────────────────────────────

  private serialize(op: () => Promise<void>): Promise<void> {
    const next = this.ops.then(op, op);
    this.ops = next.catch((err) => this.log.error({ err }, 'session operation failed'));
    return this.ops;
  }

  /** `start_session`. A start while one is already starting is ignored, as the original does. */
  start(mode: InputMode, opts: { newSession?: boolean } = {}): Promise<void> {
    if (this.phase.is('starting')) return Promise.resolve();
    return this.serialize(() => this.doStart(mode, opts.newSession ?? false));
  }

  private async doStart(mode: InputMode, newSession: boolean): Promise<void> {
    if (this.phase.is('live')) await this.doEnd({ byClient: false, reason: 'restart' });
    if (newSession) this.hotSwap.reset();
    this.endRequested = false;
    this.phase.to('starting');
    this.mode = mode;
    this.send({ type: 'session_preparing', input_mode: mode });
    try {
      const { provider, instructions, notice } = await this.connectProvider(mode, '');
      this.provider = provider;
      this.attachSpeech(provider);
      this.turns = new TurnLog();
      this.repetition = new RepetitionWatch();
      this.sessionStartedAt = Date.now();
      this.hotSwap.sessionStarted(this.sessionStartedAt);
      this.startFailures = 0;
      this.phase.to('live');
      this.log.info({ mode, provider: provider.provider, instructionsChars: instructions.length }, 'session started');
      this.send({ type: 'session_started', input_mode: mode });
      if (notice) this.status('PROVIDER_NOTICE', { message: notice });
    } catch (err) {
      this.startFailures++;
      this.lastFailureAt = Date.now();
      const code = this.startFailures >= this.timing.maxStartFailures ? 'SESSION_START_CRITICAL' : 'SESSION_START_FAILED';
      this.log.warn({ err: (err as Error).message, failures: this.startFailures }, 'session start failed');
      this.status(code, code === 'SESSION_START_CRITICAL' ? { count: this.startFailures } : { error: (err as Error).message, count: this.startFailures });
      const classified = classifyStartError(err as Error);
      if (classified) this.status(classified.code, classified.details);
      this.send({ type: 'session_failed', input_mode: mode });
      this.phase.to('idle');
      this.pendingInputs = [];
      return;
    }
    if (this.endRequested) {
      await this.doEnd({ byClient: true, reason: 'ended while starting' });
      return;
    }
    const pending = this.pendingInputs;
    this.pendingInputs = [];
    for (const input of pending) this.replay(input);
    if (this.agentResults.length) void this.deliverAgentResults();
  }

  /** Whether `provider`'s own voice is heard (false for text models, and when the character has a custom voice). */
  private speaksItself(provider: RealtimeProvider): boolean {
    return this.nativeAudio.get(provider) ?? provider.capabilities.audioOutput;
  }

  /** Starts TTS for a provider that does not speak by itself; its audio goes to the page under its speech id. */
  private attachSpeech(provider: RealtimeProvider): void {
    if (this.speaksItself(provider) || this.speech || !this.deps.speech) return;
    const speech = this.deps.speech();
    speech.on('audio', ({ speechId, audio }) => {
      if (this.speech !== speech || this.interruptedIds.includes(speechId)) return;
      this.socket?.sendAudio(speechId, audio);
    });
    speech.on('error', ({ code, message }) => {
      if (this.speech === speech) this.status(code, { msg: message });
    });
    this.speech = speech;
  }

  /**
   * Builds instructions (character prompt + memory context + recent turns) and connects a provider.
   * The connection is bound to this session only after it succeeded ("connect, then assign").
   */
  private async connectProvider(mode: InputMode, recentTurns: string): Promise<{ provider: RealtimeProvider; instructions: string; notice?: string }> {
    const profile = this.deps.profile();
    let memoryContext = '';
    try {
      memoryContext = await this.deps.memoryContext(this.character, this.timing.memoryTimeoutMs);
    } catch (err) {
      // The original refuses to start without memory; neko starts and says so.
      this.status('MEMORY_SERVER_NOT_RUNNING', { message: (err as Error).message });
    }
    const language = this.language ?? profile.language;
    const instructions = sessionInstructions({ characterPrompt: profile.prompt, memoryContext, recentTurns, names: profile.names, language });
    const { provider, notice } = await this.deps.createProvider(mode);
    const nativeAudio = provider.capabilities.audioOutput && !(this.deps.speech && this.deps.customVoice?.());
    this.nativeAudio.set(provider, nativeAudio);
    this.bindProvider(provider);
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), this.timing.startTimeoutMs);
    try {
      await provider.connect({ instructions, audioOutput: nativeAudio, signal: controller.signal });
    } catch (err) {
      void provider.close().catch(() => undefined);
      throw controller.signal.aborted ? new Error(`provider did not connect within ${this.timing.startTimeoutMs} ms`) : err;
    } finally {
      clearTimeout(timer);
    }
    return { provider, instructions, notice };
  }

  /** `end_session` / `pause_session` from the page (CHARACTER_LEFT), or a server-side end (no status). */
  endSession(opts: { byClient: boolean; reason: string }): Promise<void> {
    if (this.phase.is('starting')) {
      this.endRequested = true;
      return this.ops;
    }
    return this.serialize(() => this.doEnd(opts));
  }

  private async doEnd(opts: { byClient: boolean; reason: string }): Promise<void> {
    if (!this.phase.is('live')) return; // ending an inactive session is a no-op, as in the original
    this.phase.to('ending');
    const provider = this.provider;
    this.provider = undefined;
    const pending = this.hotSwap.takePending();
    this.hotSwap.reset();
    this.releaseHeldAudio(false);
    if (opts.byClient) this.pendingInputs = []; // a mode switch keeps the input that caused it
    this.finishTurns('process');
    const hadUser = this.turns.all().some((t) => t.role === 'user');
    if (hadUser) void this.analyze('session_end');
    const speech = this.speech;
    this.speech = undefined;
    await Promise.allSettled([provider?.close(), pending?.close(), speech?.close()]);
    this.phase.to('idle');
    this.log.info({ reason: opts.reason }, 'session ended');
    if (opts.byClient) this.status('CHARACTER_LEFT', { name: this.character });
  }

  /** Hands every unsynced turn to the memory outbox (on disk before this returns). */
  private finishTurns(kind: 'cache' | 'renew' | 'process'): void {
    const messages = this.turns.takeUnsynced(kind !== 'cache');
    if (kind === 'cache' && messages.length === 0) return; // renew and process run memory's digest even with nothing new
    try {
      this.deps.outbox.enqueue(this.character, kind, messages);
    } catch (err) {
      this.log.error({ err, kind }, 'could not queue turns for memory');
    }
  }

  // ─── input from the page ─────────────────────────────────────────────────────

  private canAutoStart(): boolean {
    if (this.startFailures < this.timing.maxStartFailures) return true;
    if (Date.now() - this.lastFailureAt >= this.timing.failureCooldownMs) {
      this.startFailures = 0;
      return true;
    }
    return false;
  }

  private queueInput(input: PendingInput): void {
    this.pendingInputs.push(input);
    if (this.pendingInputs.length > MAX_PENDING_INPUTS) {
      this.pendingInputs.shift();
      this.counters.audioFramesDropped++;
    }
  }

  /**
   * Makes sure a session of `mode` is running or starting for this input; returns false when the input must
   * wait (it has been queued) or be dropped (auto-start refused).
   */
  private ensureSession(mode: InputMode, input: PendingInput): boolean {
    if (this.phase.is('live') && this.mode === mode && !this.endRequested) return true;
    if (this.phase.is('starting') || this.phase.is('ending')) {
      this.queueInput(input);
      if (this.phase.is('ending')) void this.ops.then(() => this.autoStart(mode));
      return false;
    }
    if (!this.canAutoStart()) return false;
    this.queueInput(input);
    void this.autoStart(mode);
    return false;
  }

  private autoStart(mode: InputMode): Promise<void> {
    if (this.phase.is('live') && this.mode === mode) return Promise.resolve();
    if (this.phase.is('starting')) return Promise.resolve();
    return this.serialize(async () => {
      if (this.phase.is('live') && this.mode === mode) return;
      if (this.phase.is('live')) await this.doEnd({ byClient: false, reason: `switching to ${mode}` });
      await this.doStart(mode, false);
    });
  }

  private replay(input: PendingInput): void {
    if (input.kind === 'audio') this.pushAudio(input.pcm, input.rate);
    else if (input.kind === 'text') this.pushText(input.text);
    else this.pushImage(input.base64);
  }

  /** One microphone frame (PCM16 LE at `rate`). */
  pushAudio(pcm: Buffer, rate: number): void {
    this.counters.audioFramesIn++;
    if (!this.ensureSession('audio', { kind: 'audio', pcm, rate })) return;
    const provider = this.provider!;
    if (!provider.capabilities.audioInput) return;
    const toRate = provider.capabilities.inputSampleRate;
    void this.deps.audio.input(pcm, rate, toRate).then(
      (converted) => this.routeAudio(converted),
      (err) => this.log.warn({ err: (err as Error).message }, 'input audio conversion failed; frame dropped'),
    );
  }

  /** Sends converted microphone audio to the current provider, or holds it while the provider is replaced. */
  private routeAudio(pcm: Buffer): void {
    if (this.holdingAudio) {
      this.heldAudio.push(pcm);
      this.heldBytes += pcm.length;
      this.counters.audioFramesHeld++;
      while (this.heldBytes > MAX_HELD_AUDIO_BYTES && this.heldAudio.length) {
        this.heldBytes -= this.heldAudio.shift()!.length;
        this.counters.audioFramesDropped++;
      }
      return;
    }
    if (!this.provider || !this.phase.is('live')) {
      this.counters.audioFramesDropped++;
      return;
    }
    this.provider.sendAudio(pcm);
    this.counters.audioFramesToProvider++;
  }

  private holdAudio(): void {
    this.holdingAudio = true;
  }

  /** Stops holding and sends everything held, in order, to the (new) current provider — or drops it. */
  private releaseHeldAudio(send: boolean): void {
    const held = this.heldAudio;
    this.heldAudio = [];
    this.heldBytes = 0;
    this.holdingAudio = false;
    for (const pcm of held) {
      if (send && this.provider) {
        this.provider.sendAudio(pcm);
        this.counters.audioFramesToProvider++;
      } else {
        this.counters.audioFramesDropped++;
      }
    }
  }

  /** A user text message. */
  pushText(text: string): void {
    if (!this.ensureSession('text', { kind: 'text', text })) return;
    this.beginUserTurn();
    this.lastUserActivityAt = Date.now();
    this.turns.add('user', text, true);
    this.turns.closeTurn();
    this.awaitingReply = true;
    this.provider!.sendText(text);
  }

  /** A screen or camera frame (bare JPEG base64, already validated). */
  pushImage(base64: string): void {
    if (!this.phase.is('live')) {
      // The original starts an audio session for a frame; neko keeps the frame for the session the user starts next.
      if (this.phase.is('starting')) this.queueInput({ kind: 'image', base64 });
      else {
        this.pendingInputs = this.pendingInputs.filter((i) => i.kind !== 'image');
        this.pendingInputs.push({ kind: 'image', base64 });
      }
      return;
    }
    const provider = this.provider!;
    if (!provider.capabilities.vision) return;
    if (this.mode === 'text') {
      provider.sendImage(base64); // attached to the next user message
      return;
    }
    const active = this.userSpeaking || Date.now() - this.lastSpeechAt < this.timing.activeGraceMs;
    const interval = this.timing.imageIntervalMs * (active ? 1 : this.timing.idleImageMultiplier);
    const now = Date.now();
    if (now - this.lastImageAt < interval) return;
    this.lastImageAt = now;
    provider.sendImage(base64);
  }

  /** The user starts a new turn: the page drops the old reply's audio, a new speech id begins. */
  private beginUserTurn(): void {
    if (this.replyOpen) this.provider?.interrupt();
    this.speech?.interrupt();
    this.send({ type: 'user_activity', interrupted_speech_id: this.speechId });
    this.interruptedIds.push(this.speechId);
    if (this.interruptedIds.length > INTERRUPTED_IDS_KEPT) this.interruptedIds.shift();
    this.speechId = randomUUID();
    this.deps.audio.resetOutput();
    this.replyOpen = false;
  }

  // ─── provider events ─────────────────────────────────────────────────────────

  private bindProvider(provider: RealtimeProvider): void {
    const id = provider.connectionId;
    const current = () => this.provider?.connectionId === id;
    provider.on('response_started', () => {
      if (!current()) return;
      this.replyOpen = true;
      this.replyHadOutput = false;
    });
    provider.on('text', ({ text, first }) => {
      if (!current()) return;
      const shown = stripTags(text);
      const isNew = first || !this.replyHadOutput;
      this.replyOpen = true;
      this.replyHadOutput = true;
      this.turns.add('assistant', text, isNew);
      if (shown) this.send({ type: 'gemini_response', text: shown, isNewMessage: isNew });
      if (shown && !this.speaksItself(provider)) this.speech?.push(this.speechId, shown);
    });
    provider.on('audio', ({ pcm }) => {
      if (!current()) return;
      this.replyOpen = true;
      this.replyHadOutput = true;
      // Providers that cannot turn their voice off (Gemini Live, Step) still send it: the custom voice speaks instead.
      if (!this.speaksItself(provider)) return;
      const tag = this.speechId;
      void this.deps.audio.output(pcm, provider.capabilities.outputSampleRate).then(
        (pcm48) => {
          if (this.interruptedIds.includes(tag)) return;
          this.socket?.sendAudio(tag, pcm48);
        },
        (err) => this.log.warn({ err: (err as Error).message }, 'output audio conversion failed'),
      );
    });
    provider.on('input_transcript', ({ text }) => {
      if (!current()) return;
      const clean = text.trim();
      if (!clean) return;
      this.lastSpeechAt = Date.now();
      this.lastUserActivityAt = this.lastSpeechAt;
      this.turns.add('user', clean, true);
      this.turns.closeTurn();
      this.send({ type: 'user_transcript', text: clean });
    });
    provider.on('speech_started', () => {
      if (!current()) return;
      this.userSpeaking = true;
      this.lastSpeechAt = Date.now();
      // Barge-in at speech start (the original waited for speech stop, so the page kept playing over the user).
      this.beginUserTurn();
    });
    provider.on('speech_stopped', () => {
      if (!current()) return;
      this.userSpeaking = false;
      this.lastSpeechAt = Date.now();
      this.awaitingReply = true;
    });
    provider.on('response_discarded', ({ reason, attempt, maxAttempts, willRetry }) => {
      if (!current()) return;
      // The page drops this turn's bubble and audio (websocket.md §3.7); speech, memory and the monitor do too.
      this.speech?.interrupt();
      this.turns.dropOpen('assistant');
      this.speechId = randomUUID();
      this.replyHadOutput = false;
      this.log.info({ reason, attempt, willRetry }, 'reply discarded by the length guard');
      const message = willRetry ? '' : JSON.stringify({ code: 'RESPONSE_TOO_LONG' });
      this.send({ type: 'response_discarded', reason, attempt, max_attempts: maxAttempts, will_retry: willRetry, message });
    });
    provider.on('response_done', ({ cancelled }) => {
      if (!current()) return;
      const spoke = this.replyHadOutput;
      if (spoke && !cancelled) this.checkRepetition(provider);
      if (spoke && !this.speaksItself(provider)) this.speech?.end(this.speechId);
      this.replyOpen = false;
      this.replyHadOutput = false;
      this.turns.closeTurn();
      if (!spoke && !this.awaitingReply) return; // a silent prime or a cancelled reply without output
      this.awaitingReply = false;
      if (cancelled && !spoke) return;
      this.send({ type: 'system', data: 'turn end' });
      this.onTurnEnd();
    });
    provider.on('error', ({ code, message, fatal }) => {
      if (!current()) return;
      this.log.warn({ code, message, fatal }, 'provider error');
      if (!fatal) this.status(code, { msg: message });
    });
    provider.on('closed', ({ byServer, reason }) => {
      if (!current() || !byServer) return;
      void this.onProviderLost(reason ?? 'connection closed');
    });
  }

  /**
   * A model stuck repeating itself: the page is told, and a text model starts again from its instructions.
   * A realtime model's own history cannot be cleared; it is renewed by the next hot-swap.
   */
  private checkRepetition(provider: RealtimeProvider): void {
    if (!this.repetition.observe(this.turns.openText('assistant'))) return;
    this.log.warn('the model repeated itself three times; resetting its history');
    this.send({ type: 'repetition_warning', name: this.character });
    provider.resetHistory?.();
  }

  private onTurnEnd(): void {
    if (this.turns.hasUnsyncedUserTurn()) this.finishTurns('cache');
    void this.analyze('turn_end');
    this.tickHotSwap();
  }

  private analyze(trigger: 'turn_end' | 'session_end'): Promise<boolean> {
    const agent = this.deps.agent;
    if (!agent) return Promise.resolve(false);
    const messages = this.turns.recentForAgent(6);
    if (!messages.some((m) => m.role === 'user')) return Promise.resolve(false);
    return agent.requestAnalyze({ trigger, lanlan_name: this.character, messages }).catch(() => false);
  }

  // ─── hot-swap ────────────────────────────────────────────────────────────────

  /** Runs at every turn end: starts, advances or completes a hot-swap (sessions.md §5.4). */
  private tickHotSwap(): void {
    const step = this.hotSwap.onTurnEnd(Date.now(), this.agentResults.length > 0, this.turns.length);
    if (step === 'trigger') this.finishTurns('renew');
    if (step === 'prepare') void this.preparePending();
    if (step === 'swap') this.swap();
  }

  /** Forces the next swap now (tests, and agent results that should be reported at once). */
  async forceSwap(): Promise<void> {
    if (!this.phase.is('live')) throw new Error('no live session to swap');
    this.hotSwap.trigger(Date.now(), this.turns.length);
    await this.preparePending();
    this.swap();
  }

  private async preparePending(): Promise<void> {
    if (!this.hotSwap.beginPreparing(this.turns.length)) return;
    const profile = this.deps.profile();
    const recent = TurnLog.render(this.turns.since(this.hotSwap.triggerIndex), { user: profile.names.master, assistant: profile.names.character });
    try {
      const { provider } = await this.connectProvider(this.mode, recent);
      if (!this.phase.is('live') || !this.hotSwap.isPreparing()) {
        void provider.close();
        return;
      }
      this.hotSwap.ready(provider);
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'preparing the next session failed; will retry at a later turn end');
      this.hotSwap.failed();
    }
  }

  /**
   * Promotes the prepared session at a turn boundary. Microphone audio is held from the moment the swap
   * starts and flushed, in order, into the NEW session once it is current (the original flushed into the
   * old one, which was then closed: that audio was lost).
   */
  private swap(): void {
    const next = this.hotSwap.takePending();
    if (!next || !this.phase.is('live')) return;
    if (this.userSpeaking) {
      // Never split an utterance between two sessions: try again at the next turn end.
      this.hotSwap.ready(next);
      return;
    }
    this.holdAudio();
    const profile = this.deps.profile();
    const turns = TurnLog.render(this.turns.since(this.hotSwap.snapshotIndex), { user: profile.names.master, assistant: profile.names.character });
    const results = this.agentResults.splice(0).map(taskResultLine);
    const old = this.provider;
    this.provider = next;
    this.attachSpeech(next);
    try {
      next.createResponse(swapPrime({ turns, taskResults: results, names: profile.names, language: this.language ?? profile.language }), { silent: results.length === 0 });
      if (results.length) this.awaitingReply = true;
    } catch (err) {
      this.log.warn({ err: (err as Error).message }, 'priming the new session failed');
      this.status('INTERNAL_UPDATE_FAILED', { error: (err as Error).message });
    }
    this.speechId = randomUUID();
    this.deps.audio.resetOutput();
    this.releaseHeldAudio(true);
    this.sessionStartedAt = Date.now();
    this.hotSwap.swapped(this.sessionStartedAt);
    this.counters.swaps++;
    void old?.close().catch(() => undefined);
  }

  /**
   * The provider dropped the connection. Reconnect once with the conversation so far as context, holding
   * microphone audio meanwhile; only if that fails does the page hear CHARACTER_DISCONNECTED.
   */
  private async onProviderLost(reason: string): Promise<void> {
    if (!this.phase.is('live')) return;
    this.log.warn({ reason }, 'provider connection lost; reconnecting with context');
    const lost = this.provider;
    this.holdAudio();
    const profile = this.deps.profile();
    const recent = TurnLog.render(this.turns.all().slice(-20), { user: profile.names.master, assistant: profile.names.character });
    try {
      const { provider } = await this.connectProvider(this.mode, recent);
      if (!this.phase.is('live') || this.provider !== lost) {
        void provider.close();
        return;
      }
      this.provider = provider;
      this.attachSpeech(provider);
      this.counters.reconnects++;
      this.replyOpen = false;
      this.releaseHeldAudio(true);
      this.status('PROVIDER_RECONNECTED', { name: this.character });
    } catch (err) {
      if (this.provider !== lost) return;
      this.releaseHeldAudio(false);
      this.status('CHARACTER_DISCONNECTED', { name: this.character });
      this.send({ type: 'session_ended_by_server', input_mode: this.mode });
      await this.serialize(() => this.doEnd({ byClient: false, reason: `provider lost: ${(err as Error).message}` }));
    }
  }

  // ─── proactive chat ──────────────────────────────────────────────────────────

  /**
   * Says `text` unprompted (proactive chat): one `gemini_response` with the whole line, voiced by TTS when
   * the provider does not speak, then `turn end`. The line joins the conversation so the model knows it said it.
   * Starts a text session when none is running. Returns false when the moment has passed (the user spoke).
   */
  async deliverProactive(text: string): Promise<boolean> {
    if (!this.isActive()) await this.autoStart('text');
    if (!this.phase.is('live') || this.isReplying()) return false;
    this.send({ type: 'user_activity', interrupted_speech_id: this.speechId });
    this.speechId = randomUUID();
    const clean = stripTags(text).trim();
    this.send({ type: 'gemini_response', text: clean, isNewMessage: true });
    if (!this.speaksItself(this.provider!)) {
      this.speech?.push(this.speechId, clean);
      this.speech?.end(this.speechId);
    }
    this.turns.add('assistant', clean, true);
    this.turns.closeTurn();
    this.provider!.createResponse(`(You said this to ${this.deps.profile().names.master} on your own initiative: "${clean}")`, { silent: true });
    this.send({ type: 'system', data: 'turn end' });
    return true;
  }

  // ─── agent results ───────────────────────────────────────────────────────────

  /** A finished background task: spoken at the next opportunity (text: now; voice: via the next swap's prime). */
  enqueueAgentResult(result: AgentResult): void {
    this.agentResults.push(result);
    void this.deliverAgentResults();
  }

  private async deliverAgentResults(): Promise<void> {
    if (!this.agentResults.length || !this.socket) return;
    if (!this.isActive()) {
      await this.autoStart('text');
      return;
    }
    if (!this.phase.is('live')) return;
    if (this.mode === 'text' && !this.replyOpen) {
      const profile = this.deps.profile();
      const lines = this.agentResults.splice(0).map(taskResultLine);
      this.awaitingReply = true;
      this.provider!.createResponse(swapPrime({ turns: '', taskResults: lines, names: profile.names, language: this.language ?? profile.language }), { silent: false });
      return;
    }
    if (this.mode === 'audio' && this.hotSwap.state === 'idle') {
      this.hotSwap.trigger(Date.now(), this.turns.length);
      void this.preparePending();
    }
  }

  /** Stops everything for good (server shutdown, character deleted). */
  async shutdown(): Promise<void> {
    await this.endSession({ byClient: false, reason: 'shutdown' });
    this.deps.audio.close();
  }
}

/** Maps a start failure to the spec's extra status code, from structured error fields where available. */
export function classifyStartError(err: Error & { code?: string; status?: number }): { code: string; details?: Record<string, unknown> } | undefined {
  if (typeof err.code === 'string' && /^[A-Z][A-Z0-9_]+$/.test(err.code) && err.code.startsWith('API_')) return { code: err.code };
  if (err.status === 401 || err.status === 403) return { code: 'API_KEY_REJECTED' };
  if (err.status === 429) return { code: 'API_RATE_LIMIT_SESSION' };
  if (err.code === 'ECONNREFUSED' || err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') return { code: 'LLM_CONNECTION_FAILED' };
  return { code: 'CONNECTION_CLOSED_ABNORMAL', details: { error: err.message } };
}
