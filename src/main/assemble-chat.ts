import { join } from 'node:path';
import type { ConfigStore } from '../shared/config/store.js';
import type { Logger } from '../shared/log.js';
import { AudioWorkerPool } from './audio/audio-worker-pool.js';
import { wireAgentEvents } from './bridges/agent-events.js';
import type { MemoryClient } from './bridges/memory-client.js';
import { MemoryOutbox } from './bridges/memory-outbox.js';
import { MonitorLink } from './bridges/monitor-link.js';
import type { ZmqAgentBridge } from './bridges/zmq-agent-bridge.js';
import { createProvider, stopSharedSimServer } from './providers/select.js';
import type { SessionTiming } from './session/character-session.js';
import { CharacterSessions } from './session/character-sessions.js';
import { PooledSessionAudio } from './session/pooled-audio.js';
import { createSpeechOutput, hasCustomVoice } from './tts/select-engine.js';
import { sttConfigFrom, withVoiceInput } from './stt/with-voice-input.js';
import { ProactiveChat } from './proactive/proactive-chat.js';
import { effectiveSystemPrompt, MASTER_KEY, NAME_FIELD } from '../shared/config/characters.js';
import type { SessionRegistry } from './session/session-registry.js';
import type { SocketMirror } from './ws/socket-writer.js';

export interface ChatAssemblyDeps {
  config: ConfigStore;
  memory: MemoryClient;
  registry: SessionRegistry;
  log: Logger;
  env: NodeJS.ProcessEnv;
  agentBridge?: ZmqAgentBridge;
  /** Monitor base URL; no mirroring when absent. */
  monitorUrl?: string;
}

/** Session timings that tests and power users may shorten (milliseconds). */
function timingFromEnv(env: NodeJS.ProcessEnv): Partial<SessionTiming> {
  const read = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    const n = Number(v);
    if (!Number.isFinite(n) || n < 0) throw new Error(`${name}=${v} is not a number of milliseconds`);
    return n;
  };
  const timing: Partial<SessionTiming> = {};
  const renew = read('NEKO_RENEW_AFTER_MS');
  const prep = read('NEKO_SWAP_PREP_DELAY_MS');
  if (renew !== undefined) timing.renewAfterMs = renew;
  if (prep !== undefined) timing.prepDelayMs = prep;
  return timing;
}

/**
 * Builds the chat core: per-character sessions over the provider selection, the shared audio worker pool,
 * the durable memory outbox, agent event delivery, and monitor mirrors.
 */
export function assembleChat(deps: ChatAssemblyDeps) {
  const { config, log, env } = deps;
  const outbox = new MemoryOutbox(join(config.paths.state, 'memory-outbox.sqlite'), deps.memory, log);
  outbox.resume();
  const pool = new AudioWorkerPool();
  const chat = new CharacterSessions({
    config,
    registry: deps.registry,
    log,
    outbox,
    memoryContext: async (character, timeoutMs) => {
      const text = await Promise.race([
        deps.memory.newDialog(character),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`memory gave no context within ${timeoutMs} ms`)), timeoutMs).unref()),
      ]);
      return text;
    },
    providerFactory: () => async (mode) => {
      const { provider, notice } = await createProvider(config.resolvedCore(), mode);
      // A text-only model in a voice session hears through server-side VAD and speech-to-text.
      const heard = mode === 'audio' && !provider.capabilities.audioInput ? withVoiceInput(provider, sttConfigFrom(config.coreFile(), env)) : provider;
      return { provider: heard, notice: notice ?? undefined };
    },
    speechFor: (character) => createSpeechOutput(config, character, pool, (message) => log.warn({ character }, message)),
    customVoiceFor: (character) => hasCustomVoice(config, character),
    audioFor: (character) => new PooledSessionAudio(pool, character),
    agent: deps.agentBridge
      ? { requestAnalyze: (req) => deps.agentBridge!.requestAnalyze({ ...req, messages: req.messages }) }
      : undefined,
    timing: timingFromEnv(env),
  });
  if (deps.agentBridge) {
    wireAgentEvents(deps.agentBridge, { registry: deps.registry, resultSink: (name) => chat.sessionFor(name) }, log);
  }
  const proactive = new ProactiveChat({
    sessionFor: (name) => chat.sessionFor(name),
    currentCharacter: () => config.currentCharacter(),
    profile: (character) => {
      const doc = config.characters();
      return { prompt: effectiveSystemPrompt(doc, character, config.language), master: String(doc[MASTER_KEY]?.[NAME_FIELD] ?? ''), language: config.language };
    },
    memoryContext: (character) => deps.memory.newDialog(character),
    textProvider: async () => (await createProvider(config.resolvedCore(), 'text')).provider,
  });
  const links = new Map<string, MonitorLink>();
  const mirrorFor = (character: string): SocketMirror | undefined => {
    if (!deps.monitorUrl) return undefined;
    let link = links.get(character);
    if (!link) {
      link = new MonitorLink({ baseUrl: deps.monitorUrl, character, log, token: env.NEKO_ACCESS_TOKEN });
      link.start();
      links.set(character, link);
    }
    const l = link;
    return { json: (m) => l.sendJson(m), binary: (b) => l.sendAudio(b) };
  };
  return {
    chat,
    proactive,
    mirrorFor,
    outbox,
    close: async () => {
      await chat.shutdownAll();
      for (const link of links.values()) link.close();
      outbox.close();
      await pool.terminate();
      await stopSharedSimServer();
    },
  };
}
