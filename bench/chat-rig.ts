/**
 * The chat core assembled in one process for bench/chat-latency.ts: real CharacterSessions on the offline
 * sim (OpenAI realtime dialect over a real WebSocket), the real audio worker pool, and real SocketWriters
 * on real `ws` connections to page clients in this process. Three probes are added, none of which changes
 * what the session does: an arrival stamp on each provider message, a tag on each converted audio frame,
 * and a stamp when SocketWriter.sendAudio has handed the header and frame to ws.send.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import { AudioWorkerPool } from '../src/main/audio/audio-worker-pool.js';
import { MemoryClient } from '../src/main/bridges/memory-client.js';
import { MemoryOutbox } from '../src/main/bridges/memory-outbox.js';
import { OpenAiRealtimeClient } from '../src/main/providers/openai-realtime.js';
import type { ConnectOptions } from '../src/main/providers/realtime.js';
import type { Json } from '../src/main/providers/wire/dialect.js';
import { CharacterSession, type SessionAudio } from '../src/main/session/character-session.js';
import { PooledSessionAudio } from '../src/main/session/pooled-audio.js';
import { SIM_REALTIME_MODEL } from '../src/main/sim/chat-routes.js';
import { startSimServer, type SimServer } from '../src/main/sim/server.js';
import { SocketWriter } from '../src/main/ws/socket-writer.js';
import { createLogger } from '../src/shared/log.js';

/** A port nothing listens on: memory deliveries from the outbox fail fast and stay queued, as with memory down. */
const UNREACHABLE_MEMORY = 'http://127.0.0.1:9';
/** No automatic hot-swap during the bench (the swap phase forces them): a day is longer than any run. */
const NO_AUTOMATIC_SWAP_MS = 24 * 3600 * 1000;
/** Room noise for the microphone: RMS ≈ 40 on the int16 scale, under the sim's VAD threshold (500), so no barge-in. */
const MIC_NOISE_AMPLITUDE = 70;
/** One desktop microphone frame: 10 ms at 48 kHz. */
const MIC_FRAME_SAMPLES = 480;
const MIC_FRAME_MS = 10;
/** A session with no audio for this long gets a new reply asked for (after a swap the old reply is gone). */
const STALL_KICK_MS = 1500;
const WATCHDOG_MS = 250;
/** Retry delay when the sim is still winding down a cancelled reply. */
const BUSY_RETRY_MS = 20;
/** Longest wait for a swapped-in connection's prime to start before asking it for a reply anyway. */
const PRIME_WAIT_MS = 1000;
/** What the driver asks the character for; the sim answers any prompt with a few seconds of espeak speech. */
const REPLY_PROMPT = 'Please say something about the weather.';

/** When one provider audio delta reached main: its WebSocket message event, and the client's `audio` event. */
interface Stamp {
  arrivedAt: number;
  emittedAt: number;
}

export interface LatencySamples {
  /** Provider message arrival → binary frame handed to ws.send (ms). */
  fromArrival: number[];
  /** Provider `audio` event (after JSON parse and base64 decode) → handed to ws.send (ms). */
  fromEvent: number[];
  /** Provider message arrival → binary frame received by the page's socket in this process (ms). */
  toClient: number[];
}

/**
 * The sim provider exactly as createSimProvider builds it (OpenAI realtime client, sim URL and model),
 * plus stamps: when each WebSocket message arrives (before the client parses it), and when connect() is done.
 */
class StampedSimClient extends OpenAiRealtimeClient {
  lastArrivalAt = 0;
  connectedAt = 0;
  private sawResponse?: () => void;
  /** The first response.created (after a swap: the prime's, which a new request may then cancel). */
  readonly firstResponse = new Promise<void>((resolve) => {
    this.sawResponse = resolve;
  });

  constructor(sim: SimServer) {
    super({ url: sim.realtimeUrl, model: SIM_REALTIME_MODEL, apiKey: 'neko-bench', provider: 'sim' });
  }

  protected override onOpen(): void {
    // Prepended, so it runs before the client's own message handler (which emits `audio` synchronously).
    this.ws?.prependListener('message', () => {
      this.lastArrivalAt = performance.now();
    });
    super.onOpen();
  }

  /** Called when the sim refused a response.create because the cancelled reply had not finished yet. */
  onBusy?: () => void;

  protected override onMessage(message: Json): void {
    if (message.type === 'response.created') this.sawResponse?.();
    if (message.type === 'error' && (message.error as Json | undefined)?.code === 'conversation_already_has_active_response') this.onBusy?.();
    super.onMessage(message);
  }

  override async connect(opts: ConnectOptions): Promise<void> {
    await super.connect(opts);
    this.connectedAt = performance.now();
  }
}

/** Per character: the stamp of the delta being handled, and stamps riding on converted frames. */
class LatencyProbe {
  recording = false;
  pending?: Stamp;
  readonly onFrames = new WeakMap<Buffer, Stamp>();
  /** Stamps of frames sent to the page, in send order (the page receives them in that order). */
  readonly inFlight: Array<Stamp | undefined> = [];

  constructor(readonly samples: LatencySamples) {}
}

/** The session's audio, unchanged, except that each converted output frame carries the stamp of its delta. */
class ProbedAudio implements SessionAudio {
  constructor(
    private readonly inner: SessionAudio,
    private readonly probe: LatencyProbe,
  ) {}

  input(pcm: Buffer, rate: number, toRate: number): Promise<Buffer> {
    return this.inner.input(pcm, rate, toRate);
  }

  output(pcm: Buffer, rate: number): Promise<Buffer> {
    // The session calls this synchronously inside its `audio` listener, right after ours stamped the delta.
    const stamp = this.probe.pending;
    this.probe.pending = undefined;
    const converted = this.inner.output(pcm, rate);
    if (!stamp) return converted;
    return converted.then((pcm48) => {
      this.probe.onFrames.set(pcm48, stamp);
      return pcm48;
    });
  }

  resetOutput(): void {
    this.inner.resetOutput();
  }

  close(): void {
    this.inner.close();
  }
}

/** The real SocketWriter; the stamp is taken once both ws.send calls (header, then frame) have returned. */
class ProbedWriter extends SocketWriter {
  constructor(
    character: string,
    ws: WebSocket,
    private readonly probe: LatencyProbe,
  ) {
    super(character, ws);
  }

  override sendAudio(speechId: string, audio: Buffer): boolean {
    const sent = super.sendAudio(speechId, audio);
    const handedAt = performance.now();
    if (!sent) return false;
    const stamp = this.probe.onFrames.get(audio);
    this.probe.inFlight.push(stamp);
    if (stamp && this.probe.recording) {
      this.probe.samples.fromArrival.push(handedAt - stamp.arrivedAt);
      this.probe.samples.fromEvent.push(handedAt - stamp.emittedAt);
    }
    return true;
  }
}

export interface BenchCharacter {
  name: string;
  session: CharacterSession;
  probe: LatencyProbe;
  /** The provider connection the session talks to now (updated after each swap). */
  current?: StampedSimClient;
  /** The connection created most recently (the prepared one during a swap). */
  newest?: StampedSimClient;
  page: WebSocket;
  framesReceived: number;
  lastActivityAt: number;
}

export interface ChatRig {
  characters: BenchCharacter[];
  samples: LatencySamples;
  /** Record latency samples from now on (true) or stop (false). */
  record(on: boolean): void;
  /** Hot-swaps one character's session; resolves with its timings. */
  swap(character: BenchCharacter): Promise<{ totalMs: number; promotionMs: number }>;
  close(): Promise<void>;
}

/** A memory service stand-in that only answers GET /new_dialog/{name}, so swaps fetch context over real HTTP. */
async function startMemoryContextServer(): Promise<{ url: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.startsWith('/new_dialog/')) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('Master likes tea and rainy afternoons.');
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

function micNoiseFrame(): Buffer {
  const frame = Buffer.alloc(MIC_FRAME_SAMPLES * 2);
  for (let i = 0; i < MIC_FRAME_SAMPLES; i++) frame.writeInt16LE(Math.round((Math.random() * 2 - 1) * MIC_NOISE_AMPLITUDE), i * 2);
  return frame;
}

export async function startChatRig(characterCount: number): Promise<ChatRig> {
  const log = createLogger('bench', 'silent');
  const dir = mkdtempSync(join(tmpdir(), 'neko-chat-bench-'));
  const sim = await startSimServer({ port: 0 });
  const memory = await startMemoryContextServer();
  const memoryClient = new MemoryClient({ baseUrl: memory.url });
  const outbox = new MemoryOutbox(join(dir, 'outbox.sqlite'), new MemoryClient({ baseUrl: UNREACHABLE_MEMORY, timeoutMs: 200 }), log);
  const pool = new AudioWorkerPool();
  const samples: LatencySamples = { fromArrival: [], fromEvent: [], toClient: [] };
  const pages = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => pages.once('listening', resolve));
  const pagePort = (pages.address() as AddressInfo).port;
  const characters: BenchCharacter[] = [];
  const byName = new Map<string, BenchCharacter>();

  // Page connections, server side: one real SocketWriter each, attached to the character's session.
  pages.on('connection', (ws, req) => {
    const character = byName.get(decodeURIComponent((req.url ?? '').split('/').pop() ?? ''));
    if (!character) return ws.close();
    character.session.attachSocket(new ProbedWriter(character.name, ws, character.probe));
  });

  const kick = (character: BenchCharacter) => {
    character.lastActivityAt = performance.now();
    character.current?.createResponse(REPLY_PROMPT, { silent: false });
  };
  for (let i = 0; i < characterCount; i++) {
    const name = `bench-${i + 1}`;
    const probe = new LatencyProbe(samples);
    const character = { name, probe, framesReceived: 0, lastActivityAt: performance.now() } as BenchCharacter;
    character.session = new CharacterSession({
      character: name,
      log,
      profile: () => ({ prompt: `You are ${name}.`, names: { character: name, master: 'Master' }, language: 'en' }),
      memoryContext: (who) => memoryClient.newDialog(who),
      outbox,
      createProvider: async () => {
        const provider = new StampedSimClient(sim);
        // Registered before the session binds its own listeners, so this runs first for every delta.
        provider.on('audio', () => {
          probe.pending = { arrivedAt: provider.lastArrivalAt, emittedAt: performance.now() };
        });
        provider.onBusy = () => setTimeout(() => kick(character), BUSY_RETRY_MS);
        character.newest = provider;
        return { provider };
      },
      audio: new ProbedAudio(new PooledSessionAudio(pool, name), probe),
      timing: { renewAfterMs: NO_AUTOMATIC_SWAP_MS },
    });
    characters.push(character);
    byName.set(name, character);
  }

  // Page connections, client side: count frames, time their arrival, and ask for the next reply at turn end.
  await Promise.all(
    characters.map(async (character) => {
      const page = new WebSocket(`ws://127.0.0.1:${pagePort}/ws/${encodeURIComponent(character.name)}`);
      character.page = page;
      page.on('message', (data, isBinary) => {
        if (isBinary) {
          const stamp = character.probe.inFlight.shift();
          character.framesReceived++;
          character.lastActivityAt = performance.now();
          if (stamp && character.probe.recording) samples.toClient.push(performance.now() - stamp.arrivedAt);
          return;
        }
        const message = JSON.parse(data.toString()) as { type?: string; data?: string };
        if (message.type === 'system' && message.data === 'turn end') kick(character);
      });
      await new Promise<void>((resolve, reject) => {
        page.once('open', resolve);
        page.once('error', reject);
      });
    }),
  );
  // The server attaches the socket on 'connection', which may land just after the client's 'open'.
  while (characters.some((c) => !c.session.hasPage())) await new Promise((resolve) => setTimeout(resolve, 5));

  for (const character of characters) {
    await character.session.start('audio');
    if (!character.session.isActive()) throw new Error(`${character.name}: the sim session did not start`);
    character.current = character.newest;
    kick(character);
  }

  const mic = setInterval(() => {
    for (const character of characters) character.session.pushAudio(micNoiseFrame(), 48_000);
  }, MIC_FRAME_MS);
  const watchdog = setInterval(() => {
    const now = performance.now();
    for (const character of characters) if (now - character.lastActivityAt > STALL_KICK_MS) kick(character);
  }, WATCHDOG_MS);

  return {
    characters,
    samples,
    record(on) {
      for (const character of characters) character.probe.recording = on;
    },
    async swap(character) {
      const started = performance.now();
      await character.session.forceSwap();
      const done = performance.now();
      const next = character.newest!;
      character.current = next;
      // The swap's prime is a silent reply; once it has started, a new request replaces it (continuous audio).
      await Promise.race([next.firstResponse, new Promise((resolve) => setTimeout(resolve, PRIME_WAIT_MS))]);
      kick(character);
      return { totalMs: done - started, promotionMs: done - next.connectedAt };
    },
    async close() {
      clearInterval(mic);
      clearInterval(watchdog);
      await Promise.allSettled(characters.map((c) => c.session.shutdown()));
      for (const character of characters) character.page.close();
      await new Promise<void>((resolve) => pages.close(() => resolve()));
      await pool.terminate();
      await sim.close();
      await new Promise<void>((resolve) => memory.server.close(() => resolve()));
      outbox.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
