import { isDeepStrictEqual } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { ALL_RESERVED_FIELDS, CHARACTERS_KEY, SYSTEM_RESERVED_FIELDS, WORKSHOP_RESERVED_FIELDS } from '../../shared/config/characters.js';
import { applyCoreConfigUpdate, coreConfigForApi, CoreConfigValidationError, memoryRerankFromEnv } from '../../shared/config/core-config.js';
import type { UiLanguage } from '../../shared/config/default-characters.js';
import { isNekoOnlyPreference, moveToTop, upsertPreference, validatePreference } from '../../shared/config/preferences.js';
import { ASSIST_PROVIDERS, CORE_PROVIDERS, providersForFrontend } from '../../shared/config/providers.js';
import { ApiError, badRequest, notFound } from '../../shared/errors.js';
import { avatarDirs, pageModel } from '../avatar/page-model.js';
import { fetchGptSovitsVoices, GptSovitsError } from '../bridges/gpt-sovits.js';
import type { MainContext } from '../context.js';
import { checkLoopbackHttpUrl } from '../net/loopback-url.js';
import { parseDirectFlag, ProxyModeSwitch } from '../net/proxy-mode.js';
import { apiConfigReloadNotice } from '../session/page-notices.js';
import { characterFromPath } from './character-names.js';
import { objectBody } from './request-body.js';

/** How long a settings save waits for the agent service to acknowledge; it is only a hint to re-read config. */
const AGENT_NOTIFY_TIMEOUT_MS = 1500;

/** The original's `get_global_language` codes: `zh`, `zh-TW`, `en`, `ja`, `ko`, `ru`. */
export function shortLanguageCode(language: UiLanguage): string {
  return language === 'zh-CN' ? 'zh' : language;
}

/** `/api/config/*` (rest.md §3) plus neko's `GET /api/config/status`. */
/** core_config.json fields only the memory service reads: changing them needs no session restart or page reload. */
const SESSION_NEUTRAL_FIELDS: ReadonlySet<string> = new Set(['memory_rerank', 'recent_memory_auto_review']);

/** Top-level fields whose value differs between two versions of a config file. */
function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => !isDeepStrictEqual(before[k], after[k]));
}

export async function configRoutes(app: FastifyInstance, ctx: MainContext): Promise<void> {
  const avatars = avatarDirs(ctx.config.paths);
  const proxyMode = new ProxyModeSwitch(ctx.env);

  app.get('/character_reserved_fields', async () => ({
    success: true,
    system_reserved_fields: SYSTEM_RESERVED_FIELDS,
    workshop_reserved_fields: WORKSHOP_RESERVED_FIELDS,
    all_reserved_fields: ALL_RESERVED_FIELDS,
  }));

  app.get<{ Querystring: { lanlan_name?: string } }>('/page_config', async (req) => {
    const doc = ctx.config.characters();
    const requested = req.query.lanlan_name?.trim();
    let name: string;
    try {
      name = requested ? characterFromPath(doc, requested) : ctx.config.currentCharacter();
    } catch (err) {
      // The page reads these keys even on failure.
      if (err instanceof ApiError) throw new ApiError(err.status, err.message, err.code, { lanlan_name: '', model_path: '', model_type: '' });
      throw err;
    }
    const card = doc[CHARACTERS_KEY][name];
    if (!card) throw new ApiError(404, '猫娘不存在', undefined, { lanlan_name: '', model_path: '', model_type: '' });
    return { success: true, lanlan_name: name, ...pageModel(card, avatars) };
  });

  // The original's clients get the list they know; neko's page asks for its own entries too (`?all=1`).
  app.get<{ Querystring: { all?: string } }>('/preferences', async (req) => {
    const list = ctx.config.preferences();
    return req.query.all === '1' ? list : list.filter((e) => !isNekoOnlyPreference(e));
  });

  app.post('/preferences', async (req) => {
    const entry = validatePreference(req.body);
    ctx.config.savePreferences(upsertPreference(ctx.config.preferences(), entry));
    return { success: true, message: '偏好设置已保存' };
  });

  app.post('/preferences/set-preferred', async (req) => {
    const body = objectBody(req.body, '无效的数据');
    const list = ctx.config.preferences();
    // Only a real model can be the preferred one: the original's page loads the first entry.
    const next = typeof body.model_path === 'string' && body.model_path.startsWith('neko:') ? null : moveToTop(list, body.model_path);
    if (!next) throw notFound('模型不存在或更新失败');
    ctx.config.savePreferences(next);
    return { success: true, message: '首选模型已更新' };
  });

  // neko has no Steam: the page then falls back to the browser's language.
  app.get('/steam_language', async () => ({
    success: false,
    error: 'Steamworks 未初始化',
    steam_language: null,
    i18n_language: null,
    ip_country: null,
    is_mainland_china: false,
  }));

  app.get('/user_language', async () => ({ success: true, language: shortLanguageCode(ctx.config.language) }));

  app.get('/core_api', async () => {
    const view = coreConfigForApi(ctx.config.coreFile());
    // NEKO_MEMORY_RERANK wins over the file (for every service): the page shows the value in force, locked.
    const forced = memoryRerankFromEnv(ctx.env);
    return forced === undefined ? view : { ...view, memory_rerank: forced, memory_rerank_env: true };
  });

  app.post('/core_api', async (req) => {
    const body = objectBody(req.body);
    let next;
    try {
      next = applyCoreConfigUpdate(ctx.config.coreFile(), body);
    } catch (err) {
      if (err instanceof CoreConfigValidationError) throw badRequest(err.message);
      throw err;
    }
    const changed = changedFields(ctx.config.coreFile(), next);
    ctx.config.saveCore(next);
    // Nothing a conversation uses changed (a memory switch, or Save without changes): it goes on undisturbed.
    if (changed.every((field) => SESSION_NEUTRAL_FIELDS.has(field))) return { success: true, message: 'API Key已保存并重新加载配置', sessions_ended: 0 };
    // Pages reload and sessions restart so nothing keeps talking to the old provider with the old key.
    ctx.sessions.broadcast(apiConfigReloadNotice());
    const ended = await ctx.sessions.endAll('API configuration changed');
    await notifyAgentConfigChanged(ctx);
    return { success: true, message: 'API Key已保存并重新加载配置', sessions_ended: ended };
  });

  app.get('/api_providers', async () => ({
    success: true,
    core_api_providers: providersForFrontend(CORE_PROVIDERS),
    assist_api_providers: providersForFrontend(ASSIST_PROVIDERS),
  }));

  app.post('/gptsovits/list_voices', async (req) => {
    const body = objectBody(req.body);
    const checked = checkLoopbackHttpUrl(body.api_url);
    if (!checked.ok) {
      const code = { missing: 'TTS_GPT_SOVITS_URL_REQUIRED', invalid: 'TTS_GPT_SOVITS_URL_INVALID', not_loopback: 'TTS_CUSTOM_URL_LOCALHOST_ONLY' }[checked.reason];
      throw badRequest(code, code);
    }
    try {
      return { success: true, voices: await fetchGptSovitsVoices(checked.url) };
    } catch (err) {
      if (!(err instanceof GptSovitsError)) throw err;
      req.log.warn({ err: err.message, url: checked.url }, 'GPT-SoVITS voice list failed');
      // The original answers 200 here; the settings page shows the code.
      return { success: false, error: err.kind === 'upstream' ? 'Upstream TTS service error' : 'Internal TTS connection error', code: 'TTS_CONNECTION_FAILED' };
    }
  });

  app.post('/set_proxy_mode', async (req) => {
    const body = objectBody(req.body);
    const direct = parseDirectFlag(body.direct ?? false);
    const proxiesAfter = proxyMode.set(direct);
    req.log.info({ direct }, 'proxy mode switched');
    return { success: true, direct, proxies_after: proxiesAfter };
  });

  app.get('/status', async () => {
    // Touch every file so a corrupt one is found (and quarantined) before we report.
    ctx.config.characters();
    ctx.config.coreFile();
    ctx.config.preferences();
    ctx.config.voices();
    const core = ctx.config.resolvedCore();
    return {
      success: true,
      data_dir: ctx.config.paths.root,
      language: ctx.config.language,
      problems: ctx.config.problems.map(({ file, error, quarantinedAs }) => ({ file, error, quarantinedAs })),
      core: { coreApi: core.coreApi, assistApi: core.assistApi, coreKeyMissing: core.coreKeyMissing },
    };
  });
}

/** Best-effort: the agent re-reads its model settings; if it is down it reads them on start anyway. */
async function notifyAgentConfigChanged(ctx: MainContext): Promise<void> {
  try {
    const res = await fetch(`${ctx.agentUrl}/notify_config_changed`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(ctx.env.NEKO_ACCESS_TOKEN ? { authorization: `Bearer ${ctx.env.NEKO_ACCESS_TOKEN}` } : {}) },
      body: '{}',
      signal: AbortSignal.timeout(AGENT_NOTIFY_TIMEOUT_MS),
    });
    await res.body?.cancel();
  } catch (err) {
    ctx.log.info({ err: (err as Error).message }, 'agent not notified of config change');
  }
}
