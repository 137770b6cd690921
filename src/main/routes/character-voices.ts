import type { FastifyInstance } from 'fastify';
import { CHARACTERS_KEY, clearVoiceIds, requireCharacter, setVoiceId } from '../../shared/config/characters.js';
import { isKnownVoice, registerVoice, removeVoice, voicesFor } from '../../shared/config/voice-storage.js';
import { ApiError, badRequest, notFound } from '../../shared/errors.js';
import { fetchGptSovitsVoices, GptSovitsError, normaliseGptSovitsVoices } from '../bridges/gpt-sovits.js';
import type { MainContext } from '../context.js';
import { checkLoopbackHttpUrl } from '../net/loopback-url.js';
import { voiceReloadNotice } from '../session/page-notices.js';
import { characterFromPath } from './character-names.js';
import { objectBody } from './request-body.js';
import { deleteVoice } from '../tts/dashscope-voice-enrollment.js';
import { dashscopeVoiceAccess } from './voice-clone.js';

/** Longest voice id accepted; provider ids are short, this only bounds what lands in the config files. */
const MAX_VOICE_ID_LENGTH = 200;

/** The key voices are registered under (the audio provider's key); never sent to a page. */
function audioKey(ctx: MainContext): string {
  return ctx.config.resolvedCore().assistApiKey;
}

/** Validates a voice id against the current key's voice library (rest.md §4.5); 400 lists what is available. */
export function checkVoiceId(ctx: MainContext, raw: unknown): string {
  if (raw === null) return '';
  if (typeof raw !== 'string') throw badRequest('voice_id 必须是字符串');
  const id = raw.trim();
  const storage = ctx.config.voices();
  const key = audioKey(ctx);
  if (id.length > MAX_VOICE_ID_LENGTH || /[\u0000-\u001f]/.test(id) || !isKnownVoice(storage, key, id)) {
    const available = Object.keys(voicesFor(storage, key)).filter((v) => isKnownVoice(storage, key, v));
    throw badRequest(`voice_id "${id}" 在当前API的音色库中不存在`, undefined, { available_voices: available });
  }
  return id;
}

/** A running session keeps the voice it started with: tell its page to reload and end it. Returns whether one was. */
export async function restartSessionAfterVoiceChange(ctx: MainContext, name: string, sentence?: string): Promise<boolean> {
  const session = ctx.sessions.session(name);
  if (!session?.isActive()) return false;
  ctx.sessions.sendTo(name, voiceReloadNotice(sentence));
  try {
    await session.end('voice changed');
  } catch (err) {
    ctx.log.warn({ err, character: name }, 'ending session after voice change failed');
  }
  return true;
}

/** Voice routes of `/api/characters` (rest.md §4.5, §4.8, §4.15, §4.16, §4.18 without preview). */
export async function characterVoiceRoutes(app: FastifyInstance, ctx: MainContext): Promise<void> {
  app.put<{ Params: { name: string } }>('/catgirl/voice_id/:name', async (req) => {
    const doc = ctx.config.characters();
    const name = characterFromPath(doc, req.params.name);
    const body = objectBody(req.body, '无数据');
    if (Object.keys(body).length === 0) throw badRequest('无数据');
    if (!('voice_id' in body)) return { success: true, session_restarted: false, voice_id_changed: false };
    const { doc: next, changed } = setVoiceId(doc, name, checkVoiceId(ctx, body.voice_id));
    if (!changed) return { success: true, session_restarted: false, voice_id_changed: false };
    ctx.config.saveCharacters(next);
    return { success: true, session_restarted: await restartSessionAfterVoiceChange(ctx, name), voice_id_changed: true };
  });

  app.post<{ Params: { name: string } }>('/catgirl/:name/unregister_voice', async (req) => {
    const doc = ctx.config.characters();
    const name = characterFromPath(doc, req.params.name);
    if (!requireCharacter(doc, name)._reserved?.voice_id) throw badRequest('TTS_VOICE_NOT_REGISTERED', 'TTS_VOICE_NOT_REGISTERED');
    ctx.config.saveCharacters(setVoiceId(doc, name, '').doc);
    return { success: true, message: '声音注册已解除' };
  });

  app.post('/clear_voice_ids', async () => {
    const { doc, cleared } = clearVoiceIds(ctx.config.characters());
    if (cleared.length) ctx.config.saveCharacters(doc);
    return { success: true, message: `已清除 ${cleared.length} 个角色的Voice ID记录`, cleared_count: cleared.length };
  });

  app.get('/voices', async () => {
    const voices = voicesFor(ctx.config.voices(), audioKey(ctx));
    const owners: Record<string, string[]> = {};
    for (const [name, card] of Object.entries(ctx.config.characters()[CHARACTERS_KEY])) {
      const id = card._reserved?.voice_id;
      if (id) (owners[id] ??= []).push(name);
    }
    // Keyed by voice id only: the storage buckets are API keys and stay on the server.
    return { voices, voice_owners: owners };
  });

  app.post('/voices', async (req) => {
    const body = objectBody(req.body);
    const { voice_id: voiceId, voice_data: voiceData } = body;
    if (typeof voiceId !== 'string' || !voiceId.trim() || typeof voiceData !== 'object' || voiceData === null || Array.isArray(voiceData)) {
      throw badRequest('TTS_VOICE_REGISTER_MISSING_PARAMS', 'TTS_VOICE_REGISTER_MISSING_PARAMS');
    }
    const id = voiceId.trim();
    if (id.length > MAX_VOICE_ID_LENGTH || /[\u0000-\u001f]/.test(id)) throw badRequest('voice_id 无效');
    const key = audioKey(ctx);
    if (!key) throw badRequest('TTS_AUDIO_API_KEY_MISSING', 'TTS_AUDIO_API_KEY_MISSING');
    ctx.config.saveVoices(registerVoice(ctx.config.voices(), key, id, voiceData as Record<string, unknown>));
    return { success: true, message: '音色注册成功' };
  });

  app.delete<{ Params: { voice_id: string } }>('/voices/:voice_id', async (req) => {
    const voiceId = req.params.voice_id;
    const key = audioKey(ctx);
    const voices = ctx.config.voices();
    const record = voices[key]?.[voiceId];
    const { storage, removed } = removeVoice(voices, key, voiceId);
    if (!removed) throw notFound('音色不存在或删除失败');
    // A voice enrolled with DashScope counts against the account's quota until it is deleted there too.
    // The local entry goes either way; the answer says whether DashScope's went as well.
    let remote: Record<string, unknown> = {};
    const access = typeof record?.file_url === 'string' && record.file_url.startsWith('oss://') ? dashscopeVoiceAccess(ctx) : null;
    if (access) {
      try {
        await deleteVoice(access.opts, voiceId);
        remote = { remote_deleted: true };
      } catch (err) {
        ctx.log.warn({ voiceId, reason: (err as Error).message }, 'DashScope voice not deleted');
        remote = { remote_deleted: false, remote_error: `DashScope did not delete the voice (delete it in the DashScope console): ${(err as Error).message}` };
      }
    }
    ctx.config.saveVoices(storage);
    const { doc, cleared } = clearVoiceIds(ctx.config.characters(), (id) => id === voiceId);
    if (cleared.length) ctx.config.saveCharacters(doc);
    for (const name of cleared) await restartSessionAfterVoiceChange(ctx, name, '音色已删除，页面即将刷新');
    return { success: true, message: `音色已删除，已清理 ${cleared.length} 个角色的引用`, ...remote };
  });

  app.get('/custom_tts_voices', async (req) => {
    const core = ctx.config.coreFile();
    const raw = core.enableCustomApi === true && typeof core.ttsModelUrl === 'string' ? core.ttsModelUrl : '';
    const checked = checkLoopbackHttpUrl(raw);
    if (!checked.ok) {
      const code = checked.reason === 'not_loopback' ? 'TTS_CUSTOM_URL_LOCALHOST_ONLY' : 'TTS_CUSTOM_URL_NOT_CONFIGURED';
      throw badRequest(code, code, { voices: [] });
    }
    try {
      const voices = normaliseGptSovitsVoices(await fetchGptSovitsVoices(checked.url));
      return { success: true, voices, api_url: checked.url };
    } catch (err) {
      if (!(err instanceof GptSovitsError)) throw err;
      req.log.warn({ err: err.message }, 'custom TTS voice list failed');
      throw new ApiError(502, `连接 GPT-SoVITS API 失败: ${err.message}`, undefined, { voices: [] });
    }
  });
}
