import type { ConfigStore } from '../../shared/config/store.js';
import { effectiveSystemPrompt, MASTER_KEY, NAME_FIELD } from '../../shared/config/characters.js';
import type { Logger } from '../../shared/log.js';
import { CharacterSession, type AgentHooks, type ProviderFactory, type SessionAudio, type SessionTiming } from './character-session.js';
import type { SessionRegistry } from './session-registry.js';
import type { MemoryOutbox } from '../bridges/memory-outbox.js';
import type { SpeechOutput } from '../tts/speech-output.js';

export interface CharacterSessionsDeps {
  config: ConfigStore;
  registry: SessionRegistry;
  log: Logger;
  outbox: MemoryOutbox;
  memoryContext: (character: string, timeoutMs: number) => Promise<string>;
  /** A provider factory for one character (its voice, its mode). */
  providerFactory: (character: string) => ProviderFactory;
  /** Audio streams for one character (its own resampler state; shared worker pool). */
  audioFor: (character: string) => SessionAudio;
  agent?: AgentHooks;
  /** TTS for one character, used when its provider does not speak. */
  speechFor?: (character: string) => SpeechOutput;
  /** The character has its own voice (cloned voice or custom TTS server): realtime models then run text-only. */
  customVoiceFor?: (character: string) => boolean;
  timing?: Partial<SessionTiming>;
}

/**
 * Creates each character's session on first use and keeps it in the registry. Each character has its own
 * session, audio streams, queues and shutdown, so one slow or failing provider never holds up another.
 */
export class CharacterSessions {
  constructor(private readonly deps: CharacterSessionsDeps) {}

  /** The character's session, or undefined when the character does not exist (any more). */
  sessionFor(character: string): CharacterSession | undefined {
    if (!this.deps.config.hasCharacter(character)) return undefined;
    const existing = this.deps.registry.session(character);
    if (existing instanceof CharacterSession && existing.character === character) return existing;
    if (existing instanceof CharacterSession) void existing.shutdown(); // renamed: its old name is baked into memory calls
    const session = new CharacterSession({
      character,
      log: this.deps.log,
      profile: () => {
        const doc = this.deps.config.characters();
        const master = String(doc[MASTER_KEY]?.[NAME_FIELD] ?? '');
        const language = this.deps.config.language;
        return { prompt: effectiveSystemPrompt(doc, character, language), names: { character, master }, language };
      },
      memoryContext: this.deps.memoryContext,
      outbox: this.deps.outbox,
      createProvider: this.deps.providerFactory(character),
      audio: this.deps.audioFor(character),
      agent: this.deps.agent,
      speech: this.deps.speechFor ? () => this.deps.speechFor!(character) : undefined,
      customVoice: this.deps.customVoiceFor ? () => this.deps.customVoiceFor!(character) : undefined,
      timing: this.deps.timing,
    });
    this.deps.registry.attachSession(character, session);
    return session;
  }

  fallbackCharacter(): string | undefined {
    return this.deps.config.currentCharacter() || undefined;
  }

  async shutdownAll(): Promise<void> {
    const sessions = this.deps.registry.allSessions().filter((s): s is CharacterSession => s instanceof CharacterSession);
    await Promise.allSettled(sessions.map((s) => s.shutdown()));
  }
}
