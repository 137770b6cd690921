import { join } from 'node:path';
import { createLogger } from '../../src/shared/log.js';
import { MemoryClient } from '../../src/main/bridges/memory-client.js';
import { MemoryOutbox } from '../../src/main/bridges/memory-outbox.js';
import { ScriptedProvider } from '../../src/main/providers/testing.js';
import type { ProviderCapabilities } from '../../src/main/providers/realtime.js';
import { EventEmitter } from 'node:events';
import { CharacterSession, type SessionAudio, type SessionSocket, type SessionTiming } from '../../src/main/session/character-session.js';
import type { SpeechOutput, SpeechOutputEvents } from '../../src/main/tts/speech-output.js';

/** TTS double: records what the session asks to be spoken; tests emit its audio by hand. */
export class RecordingSpeech extends EventEmitter<SpeechOutputEvents> implements SpeechOutput {
  readonly pushed: { speechId: string; text: string }[] = [];
  readonly ended: string[] = [];
  interrupts = 0;
  closed = false;
  push(speechId: string, text: string): void {
    this.pushed.push({ speechId, text });
  }
  end(speechId: string): void {
    this.ended.push(speechId);
  }
  interrupt(): void {
    this.interrupts++;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

/** Records what a session sends to its page. */
export class RecordingSocket implements SessionSocket {
  readonly messages: Record<string, any>[] = [];
  readonly audio: { speechId: string; audio: Buffer }[] = [];
  closed = false;

  constructor(readonly character = 'test') {}

  send(message: Record<string, unknown>): void {
    this.messages.push(message);
  }

  sendAudio(speechId: string, audio: Buffer): boolean {
    this.audio.push({ speechId, audio });
    return true;
  }

  close(): void {
    this.closed = true;
  }

  ofType(type: string): Record<string, any>[] {
    return this.messages.filter((m) => m.type === type);
  }

  statusCodes(): string[] {
    return this.ofType('status').map((m) => JSON.parse(m.message).code as string);
  }
}

/** Audio conversion that changes nothing, so unit tests can follow every frame by its bytes. */
export const identityAudio: SessionAudio = {
  input: async (pcm) => pcm,
  output: async (pcm) => pcm,
  resetOutput: () => undefined,
  close: () => undefined,
};

export interface Harness {
  session: CharacterSession;
  socket: RecordingSocket;
  providers: ScriptedProvider[];
  outbox: MemoryOutbox;
  analyzed: { trigger: string; messages: { role: string; content: string }[] }[];
  /** Lets queued promise callbacks run. */
  settle(): Promise<void>;
  memoryCalls: string[];
  close(): void;
}

/** A session wired to scripted providers, a recording socket, and a real outbox whose memory is unreachable. */
export function sessionHarness(dir: string, opts: { timing?: Partial<SessionTiming>; memoryDown?: boolean; capabilities?: ProviderCapabilities; configure?: (p: ScriptedProvider, n: number) => void; speech?: RecordingSpeech[]; customVoice?: boolean } = {}): Harness {
  const log = createLogger('test', 'silent');
  const outbox = new MemoryOutbox(join(dir, 'outbox.sqlite'), new MemoryClient({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 200 }), log);
  const providers: ScriptedProvider[] = [];
  const analyzed: Harness['analyzed'] = [];
  const memoryCalls: string[] = [];
  const socket = new RecordingSocket();
  const session = new CharacterSession({
    character: 'test',
    log,
    profile: () => ({ prompt: 'You are test.', names: { character: 'test', master: 'Master' }, language: 'en' }),
    memoryContext: async (name) => {
      memoryCalls.push(name);
      if (opts.memoryDown) throw new Error('memory service unreachable');
      return 'test remembers: Master likes tea.';
    },
    outbox,
    createProvider: async () => {
      const p = new ScriptedProvider(opts.capabilities);
      opts.configure?.(p, providers.length);
      providers.push(p);
      return { provider: p };
    },
    audio: identityAudio,
    agent: {
      requestAnalyze: async (req) => {
        analyzed.push(req);
        return true;
      },
    },
    timing: opts.timing,
    customVoice: opts.customVoice === undefined ? undefined : () => opts.customVoice!,
    speech: opts.speech
      ? () => {
          const s = new RecordingSpeech();
          opts.speech!.push(s);
          return s;
        }
      : undefined,
  });
  session.attachSocket(socket);
  return {
    session,
    socket,
    providers,
    outbox,
    analyzed,
    memoryCalls,
    settle: () => new Promise((r) => setTimeout(r, 5)),
    close: () => outbox.close(),
  };
}
