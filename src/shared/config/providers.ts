/**
 * Provider catalogue: the facts of shared/spec rest.md §13.3 (URLs and model names), plus neko's own
 * `sim` (offline emulator, no key) and `local` (an OpenAI-compatible server on this machine).
 */
export interface CoreProvider {
  key: string;
  name: string;
  description: string;
  /** Realtime WebSocket URL; empty for SDK-based or text-only providers. */
  coreUrl: string;
  coreModel: string;
  /** Wire dialect the realtime client speaks. */
  dialect: 'openai-realtime' | 'qwen-omni' | 'gemini-live' | 'step' | 'glm' | 'chat-completions' | 'sim';
  needsKey: boolean;
  isFree?: boolean;
}

export const ASSIST_ROLES = ['conversation', 'summary', 'correction', 'emotion', 'vision', 'agent'] as const;
export type AssistRole = (typeof ASSIST_ROLES)[number];

export interface AssistProvider {
  key: string;
  name: string;
  description: string;
  baseUrl: string;
  models: Record<AssistRole, string>;
  needsKey: boolean;
  /** core_config.json field holding this provider's own key. */
  keyField?: string;
}

export const CORE_PROVIDERS: readonly CoreProvider[] = [
  { key: 'sim', name: 'Offline demo (sim)', description: 'Built-in offline emulator: no key, no network. Replies are simple; configure a real provider for real conversations.', coreUrl: '', coreModel: 'sim-realtime', dialect: 'sim', needsKey: false },
  { key: 'free', name: '免费版（猫娘专属福利）', description: 'Free tier of the original service', coreUrl: 'wss://lanlan.tech/core', coreModel: 'free-model', dialect: 'qwen-omni', needsKey: false, isFree: true },
  { key: 'qwen', name: 'Qwen-Omni（阿里）', description: 'Alibaba DashScope Qwen Omni realtime', coreUrl: 'wss://dashscope.aliyuncs.com/api-ws/v1/realtime', coreModel: 'qwen3-omni-flash-realtime-2025-12-01', dialect: 'qwen-omni', needsKey: true },
  { key: 'openai', name: 'GPT-Realtime（OpenAI）', description: 'OpenAI Realtime API', coreUrl: 'wss://api.openai.com/v1/realtime', coreModel: 'gpt-realtime-mini-2025-12-15', dialect: 'openai-realtime', needsKey: true },
  { key: 'step', name: 'Step-2（阶跃星辰）', description: 'StepFun realtime', coreUrl: 'wss://api.stepfun.com/v1/realtime', coreModel: 'step-audio-2', dialect: 'step', needsKey: true },
  { key: 'gemini', name: 'Gemini Live（Google）', description: 'Google Gemini Live API', coreUrl: 'wss://generativelanguage.googleapis.com/ws/google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent', coreModel: 'gemini-2.5-flash-native-audio-preview-12-2025', dialect: 'gemini-live', needsKey: true },
  { key: 'glm', name: 'GLM-Realtime（智谱）', description: 'Zhipu GLM realtime', coreUrl: 'wss://open.bigmodel.cn/api/paas/v4/realtime', coreModel: 'glm-realtime-air', dialect: 'glm', needsKey: true },
  { key: 'local', name: 'Local model (text)', description: 'An OpenAI-compatible server on this machine (Ollama, llama.cpp, LM Studio, vLLM); voice goes through speech-to-text and TTS', coreUrl: '', coreModel: '', dialect: 'chat-completions', needsKey: false },
];

const same = (m: string): Record<AssistRole, string> => ({ conversation: m, summary: m, correction: m, emotion: m, vision: m, agent: m });

export const ASSIST_PROVIDERS: readonly AssistProvider[] = [
  { key: 'sim', name: 'Offline demo (sim)', description: 'Built-in offline emulator', baseUrl: '', models: same('sim-chat'), needsKey: false },
  { key: 'free', name: '免费版（猫娘专属福利）', description: 'Free tier of the original service', baseUrl: 'https://lanlan.tech/text/v1', models: { conversation: 'free-model', summary: 'free-model', correction: 'free-model', emotion: 'free-mini-model', vision: 'free-vision-model', agent: 'free-agent-model' }, needsKey: false },
  { key: 'qwen', name: '阿里（Qwen）', description: 'DashScope OpenAI-compatible mode', baseUrl: 'https://dashscope.aliyuncs.com/compatible-mode/v1', models: { conversation: 'qwen3.5-plus', summary: 'qwen-plus', correction: 'qwen3.5-plus', emotion: 'qwen-flash', vision: 'qwen3.5-plus', agent: 'qwen3.5-plus' }, needsKey: true, keyField: 'assistApiKeyQwen' },
  { key: 'openai', name: 'OpenAI', description: 'OpenAI chat completions', baseUrl: 'https://api.openai.com/v1', models: { conversation: 'gpt-5-chat-latest', summary: 'gpt-5-chat-latest', correction: 'gpt-5-chat-latest', emotion: 'gpt-4.1-nano', vision: 'gpt-5-chat-latest', agent: 'gpt-5.2' }, needsKey: true, keyField: 'assistApiKeyOpenai' },
  { key: 'glm', name: '智谱（GLM）', description: 'Zhipu BigModel', baseUrl: 'https://open.bigmodel.cn/api/paas/v4', models: { conversation: 'glm-4.7-flash', summary: 'glm-4.7-flash', correction: 'glm-4.7-flash', emotion: 'glm-4.7-flash', vision: 'glm-4.6v-flash', agent: 'glm-4.6v' }, needsKey: true, keyField: 'assistApiKeyGlm' },
  { key: 'step', name: '阶跃星辰（Step）', description: 'StepFun', baseUrl: 'https://api.stepfun.com/v1', models: { conversation: 'step-2-mini', summary: 'step-2-mini', correction: 'step-2-mini', emotion: 'step-2-mini', vision: 'step-1o-turbo-vision', agent: 'step-3' }, needsKey: true, keyField: 'assistApiKeyStep' },
  { key: 'silicon', name: '硅基流动（SiliconFlow）', description: 'SiliconFlow', baseUrl: 'https://api.siliconflow.cn/v1', models: { conversation: 'deepseek-ai/DeepSeek-V3.2', summary: 'inclusionAI/Ling-flash-2.0', correction: 'deepseek-ai/DeepSeek-V3.2', emotion: 'inclusionAI/Ling-mini-2.0', vision: 'Qwen/Qwen3-VL-235B-A22B-Instruct', agent: 'zai-org/GLM-4.6V' }, needsKey: true, keyField: 'assistApiKeySilicon' },
  { key: 'gemini', name: 'Google Gemini', description: 'Gemini OpenAI-compatible endpoint', baseUrl: 'https://generativelanguage.googleapis.com/v1beta/openai/', models: { conversation: 'gemini-3-flash-preview', summary: 'gemini-2.5-flash', correction: 'gemini-3-flash-preview', emotion: 'gemini-2.5-flash-lite', vision: 'gemini-3-flash-preview', agent: 'gemini-3-flash-preview' }, needsKey: true, keyField: 'assistApiKeyGemini' },
  { key: 'kimi', name: 'Kimi（月之暗面）', description: 'Moonshot', baseUrl: 'https://api.moonshot.cn/v1', models: { conversation: 'kimi-k2-0905-preview', summary: 'kimi-k2-0905-preview', correction: 'kimi-k2-0905-preview', emotion: 'kimi-k2-0905-preview', vision: 'kimi-k2.5', agent: 'kimi-k2.5' }, needsKey: true, keyField: 'assistApiKeyKimi' },
  { key: 'local', name: 'Local model', description: 'OpenAI-compatible server on this machine', baseUrl: 'http://127.0.0.1:11434/v1', models: same(''), needsKey: false },
];

export function findCoreProvider(key: string): CoreProvider | undefined {
  return CORE_PROVIDERS.find((p) => p.key === key);
}

export function findAssistProvider(key: string): AssistProvider | undefined {
  return ASSIST_PROVIDERS.find((p) => p.key === key);
}

/** The three fields the original's settings page reads (rest.md §3.10). */
export function providersForFrontend(list: readonly { key: string; name: string; description: string }[]) {
  return list.map(({ key, name, description }) => ({ key, name, description }));
}
