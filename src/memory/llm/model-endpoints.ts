import type { ConfigStore } from '../../shared/config/store.js';
import { findAssistProvider } from '../../shared/config/providers.js';

/** An OpenAI-compatible endpoint and the model to ask there. */
export interface ModelEndpoint {
  baseUrl: string;
  model: string;
  apiKey: string;
}

/**
 * The summary or correction model from the user's assist-provider settings, or undefined when none is usable:
 * no base URL (the offline `sim` assist provider lives inside main), no model name, or a provider that needs a
 * key and has none. Memory then works without a model instead of failing every call.
 */
export function assistModel(config: ConfigStore, role: 'summary' | 'correction'): ModelEndpoint | undefined {
  const resolved = config.resolvedCore();
  const endpoint = resolved.roles[role];
  if (!endpoint.baseUrl || !endpoint.model) return undefined;
  const needsKey = !endpoint.isCustom && (findAssistProvider(resolved.assistApi)?.needsKey ?? true);
  if (needsKey && !endpoint.apiKey) return undefined;
  return { baseUrl: endpoint.baseUrl, model: endpoint.model, apiKey: endpoint.apiKey };
}

/**
 * The embedding endpoint for dense recall, when configured: env NEKO_EMBEDDING_URL / NEKO_EMBEDDING_MODEL /
 * NEKO_EMBEDDING_API_KEY, or core_config.json keys embeddingModelUrl / embeddingModelId / embeddingModelApiKey
 * (for example a local Ollama at http://127.0.0.1:11434/v1 with nomic-embed-text).
 */
export function embeddingModel(config: ConfigStore, env: NodeJS.ProcessEnv): ModelEndpoint | undefined {
  const file = config.coreFile() as Record<string, unknown>;
  const pick = (envName: string, key: string) => env[envName]?.trim() || (typeof file[key] === 'string' ? (file[key] as string).trim() : '');
  const baseUrl = pick('NEKO_EMBEDDING_URL', 'embeddingModelUrl');
  const model = pick('NEKO_EMBEDDING_MODEL', 'embeddingModelId');
  if (!baseUrl || !model) return undefined;
  return { baseUrl, model, apiKey: pick('NEKO_EMBEDDING_API_KEY', 'embeddingModelApiKey') };
}
