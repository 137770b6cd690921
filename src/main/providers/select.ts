import type { ResolvedCoreConfig } from '../../shared/config/core-config.js';
import { findAssistProvider, findCoreProvider } from '../../shared/config/providers.js';
import { SIM_CHAT_MODEL, SIM_REALTIME_MODEL } from '../sim/chat-routes.js';
import { startSimServer, type SimServer } from '../sim/server.js';
import { ChatCompletionsClient } from './chat-completions.js';
import { GeminiLiveClient } from './gemini-live.js';
import { GlmRealtimeClient } from './glm.js';
import { probeLocalServers, LOCAL_SERVER_CANDIDATES, type DetectedLocalServer, type LocalServerCandidate } from './local-servers.js';
import { OpenAiRealtimeClient } from './openai-realtime.js';
import { QwenOmniClient } from './qwen-omni.js';
import type { RealtimeProvider } from './realtime.js';
import { StepRealtimeClient } from './step.js';

export interface ProviderSelection {
  provider: RealtimeProvider;
  /** Said to the user when we did not use what they configured (fallback to sim or a local server). */
  notice: string | null;
}

export interface SelectOptions {
  /** The sim server to use; defaults to one shared in-process instance started on first use. */
  sim?: () => Promise<SimServer>;
  /** Looks for a local OpenAI-compatible server; injectable so tests use their own. */
  probeLocal?: (candidates: readonly LocalServerCandidate[]) => Promise<DetectedLocalServer | null>;
  connectTimeoutMs?: number;
}

/** The sim accepts any key but a configured bad one; this names where requests came from in its logs. */
const SIM_LOCAL_KEY = 'neko-sim-local';

let sharedSim: Promise<SimServer> | null = null;

/** One offline sim per process, started on first use on a free loopback port. */
export function sharedSimServer(): Promise<SimServer> {
  sharedSim ??= startSimServer({ port: 0 }).catch((err: unknown) => {
    sharedSim = null;
    throw err;
  });
  return sharedSim;
}

export async function stopSharedSimServer(): Promise<void> {
  const sim = sharedSim;
  sharedSim = null;
  if (sim) await (await sim).close();
}

/** The `sim` provider: the OpenAI realtime client (audio) or the chat client (text) talking to the in-process sim. */
export async function createSimProvider(
  mode: 'audio' | 'text',
  sim: SimServer,
  opts: { connectTimeoutMs?: number; maxReplyUnits?: number } = {},
): Promise<RealtimeProvider> {
  if (mode === 'audio') {
    return new OpenAiRealtimeClient({ url: sim.realtimeUrl, model: SIM_REALTIME_MODEL, apiKey: SIM_LOCAL_KEY, provider: 'sim', connectTimeoutMs: opts.connectTimeoutMs });
  }
  const endpoint = { baseUrl: `${sim.url}/v1`, model: SIM_CHAT_MODEL, apiKey: SIM_LOCAL_KEY };
  return new ChatCompletionsClient({ conversation: endpoint, provider: 'sim', maxReplyUnits: opts.maxReplyUnits });
}

function realtimeClient(resolved: ResolvedCoreConfig, connectTimeoutMs?: number): RealtimeProvider | null {
  const core = findCoreProvider(resolved.coreApi);
  const endpoint = { url: resolved.coreUrl, model: resolved.coreModel, apiKey: resolved.coreApiKey, provider: resolved.coreApi, connectTimeoutMs };
  switch (core?.dialect) {
    case 'openai-realtime':
      return new OpenAiRealtimeClient(endpoint);
    case 'qwen-omni':
      return new QwenOmniClient(endpoint);
    case 'glm':
      return new GlmRealtimeClient(endpoint);
    case 'step':
      return new StepRealtimeClient(endpoint);
    case 'gemini-live':
      return new GeminiLiveClient(endpoint);
    default:
      return null;
  }
}

/**
 * The provider for a session: the configured realtime provider (audio) or chat endpoint (text), falling
 * back — and saying so — to a local OpenAI-compatible server or the offline sim when no key is set.
 */
export async function createProvider(resolved: ResolvedCoreConfig, mode: 'audio' | 'text', opts: SelectOptions = {}): Promise<ProviderSelection> {
  const getSim = opts.sim ?? sharedSimServer;
  const probe = opts.probeLocal ?? probeLocalServers;
  const sim = async (notice: string | null): Promise<ProviderSelection> => ({
    provider: await createSimProvider(mode, await getSim(), { connectTimeoutMs: opts.connectTimeoutMs, maxReplyUnits: resolved.textGuardMaxLength }),
    notice,
  });

  if (mode === 'audio') {
    if (resolved.coreApi === 'sim') return sim(null);
    if (resolved.coreKeyMissing) {
      return sim(`No API key is set for ${findCoreProvider(resolved.coreApi)?.name ?? resolved.coreApi}; using the offline demo (sim) instead.`);
    }
    const client = realtimeClient(resolved, opts.connectTimeoutMs);
    if (client) return { provider: client, notice: null };
    // `local` has no realtime endpoint: a text model answers and speech goes through STT and TTS.
  }

  if (resolved.assistApi === 'sim') return sim(null);

  const conversation = resolved.roles.conversation;
  const vision = resolved.roles.vision;
  const assist = findAssistProvider(resolved.assistApi);
  const wantsLocal = resolved.assistApi === 'local' || resolved.coreApi === 'local';
  const hasKey = Boolean(conversation.apiKey) || conversation.isCustom || assist?.needsKey === false;
  if (!wantsLocal && conversation.baseUrl && conversation.model && hasKey) {
    return {
      provider: new ChatCompletionsClient({
        conversation: { baseUrl: conversation.baseUrl, model: conversation.model, apiKey: conversation.apiKey },
        vision: vision.baseUrl && vision.model ? { baseUrl: vision.baseUrl, model: vision.model, apiKey: vision.apiKey } : undefined,
        provider: resolved.assistApi,
        maxReplyUnits: resolved.textGuardMaxLength,
      }),
      notice: null,
    };
  }

  // The configured local base URL (if any) is tried before the well-known ports.
  const configured = wantsLocal && conversation.baseUrl ? [{ name: 'the configured local server', baseUrl: conversation.baseUrl }] : [];
  const candidates = [...configured, ...LOCAL_SERVER_CANDIDATES.filter((c) => c.baseUrl !== conversation.baseUrl)];
  const local = await probe(candidates);
  const why = wantsLocal ? 'Local model selected' : `No API key is set for ${assist?.name ?? resolved.assistApi}`;
  if (local) {
    return {
      provider: new ChatCompletionsClient({
        conversation: { baseUrl: local.baseUrl, model: wantsLocal && conversation.model ? conversation.model : local.model, apiKey: 'local' },
        provider: 'local',
        maxReplyUnits: resolved.textGuardMaxLength,
      }),
      notice: `${why}; using ${local.name} at ${local.baseUrl} (model ${local.model}).`,
    };
  }
  return sim(`${why} and no local model server answered; using the offline demo (sim) instead.`);
}
