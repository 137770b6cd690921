import type { FastifyInstance } from 'fastify';
import {
  addCharacter, applySystemPrompt, bindAvatar, CHARACTERS_KEY, CURRENT_KEY, deleteCharacter, flattenDocument, MICROPHONE_KEY, renameCharacter, replaceMaster,
  replacePersona, setCurrentCharacter, setLighting, setMicrophone, setVoiceId,
} from '../../shared/config/characters.js';
import { badRequest } from '../../shared/errors.js';
import { avatarDirs, currentLive2dModel } from '../avatar/page-model.js';
import type { MainContext } from '../context.js';
import { catgirlSwitchedNotice } from '../session/page-notices.js';
import { characterCardRoutes } from './character-cards.js';
import { characterFromPath, refusePageName } from './character-names.js';
import { characterVoiceRoutes, checkVoiceId, restartSessionAfterVoiceChange } from './character-voices.js';
import { memoryReloadSoon, requiredMemoryCall } from './memory-calls.js';
import { objectBody } from './request-body.js';

/** `/api/characters/*` (rest.md §4; audio helpers, voice clone and voice preview belong to the voice routes). */
export async function characterRoutes(app: FastifyInstance, ctx: MainContext): Promise<void> {
  const avatars = avatarDirs(ctx.config.paths);

  // Persona values are not machine-translated (the original's ?language= translation); keys are the file's own.
  app.get('/', async () => flattenDocument(ctx.config.characters()));

  app.get<{ Querystring: { catgirl_name?: string } }>('/current_live2d_model', async (req) => {
    const doc = ctx.config.characters();
    const requested = req.query.catgirl_name?.trim();
    const name = requested ? characterFromPath(doc, requested) : ctx.config.currentCharacter();
    const card = doc[CHARACTERS_KEY][name];
    if (!card) return { success: true, catgirl_name: name, model_name: '', model_info: null };
    return { success: true, catgirl_name: name, ...currentLive2dModel(card, avatars) };
  });

  app.put<{ Params: { name: string } }>('/catgirl/l2d/:name', async (req) => {
    const doc = ctx.config.characters();
    const name = characterFromPath(doc, req.params.name);
    const { doc: next, model } = bindAvatar(doc, name, objectBody(req.body));
    ctx.config.saveCharacters(next);
    return { success: true, message: `已更新角色 ${name} 的Live2D模型为 ${model}` };
  });

  app.put<{ Params: { name: string }; Querystring: { apply_runtime?: string } }>('/catgirl/:name/lighting', async (req) => {
    const doc = ctx.config.characters();
    const name = characterFromPath(doc, req.params.name);
    const body = objectBody(req.body);
    const query = req.query.apply_runtime;
    const applyRuntime = query !== undefined ? ['true', '1', 'yes'].includes(query.toLowerCase()) : body.apply_runtime === true;
    const { doc: next } = setLighting(doc, name, body.lighting);
    ctx.config.saveCharacters(next);
    // Sessions read the stored lighting when they next need it, so saving is the runtime update.
    return { success: true, message: `已更新角色 ${name} 的打光设置`, applied_runtime: applyRuntime, needs_reload: !applyRuntime };
  });

  app.get<{ Params: { name: string } }>('/catgirl/:name/voice_mode_status', async (req) => {
    const name = characterFromPath(ctx.config.characters(), req.params.name);
    return {
      is_voice_mode: ctx.sessions.isVoiceActive(name),
      is_current: ctx.config.currentCharacter() === name,
      is_active: ctx.sessions.session(name)?.isActive() ?? false,
    };
  });

  app.post<{ Params: { name: string } }>('/catgirl/:name/rename', async (req) => {
    const doc = ctx.config.characters();
    const oldName = characterFromPath(doc, req.params.name, '原猫娘不存在');
    const { doc: next, newName } = renameCharacter(doc, oldName, objectBody(req.body).new_name);
    if (newName !== oldName) refusePageName(newName, '新档案名');
    if (newName === oldName) return { success: true };
    if (ctx.sessions.isVoiceActive(oldName)) throw badRequest('语音状态下无法修改角色名称，请先结束语音对话后再修改');
    // Memory first: if it cannot follow, nothing changes and the history stays attached to the old name.
    await requiredMemoryCall('重命名角色的记忆', () => ctx.memory.renameCharacter(oldName, newName));
    try {
      ctx.config.saveCharacters(next);
    } catch (err) {
      await ctx.memory.renameCharacter(newName, oldName).catch((undo: Error) => ctx.log.error({ err: undo.message, oldName, newName }, 'could not undo memory rename; memory files now use the new name'));
      throw err;
    }
    if (doc[CURRENT_KEY] === oldName) ctx.sessions.sendTo(oldName, catgirlSwitchedNotice(newName, oldName));
    ctx.sessions.rename(oldName, newName);
    return { success: true };
  });

  app.get('/current_catgirl', async () => ({ current_catgirl: ctx.config.currentCharacter() }));

  app.post('/current_catgirl', async (req) => {
    const doc = ctx.config.characters();
    const oldName = ctx.config.currentCharacter();
    const next = setCurrentCharacter(doc, objectBody(req.body).catgirl_name);
    const newName = next[CURRENT_KEY]!;
    if (newName !== oldName && ctx.sessions.isVoiceActive(oldName)) throw badRequest('语音状态下无法切换角色，请先结束语音对话后再切换');
    ctx.config.saveCharacters(next);
    ctx.sessions.broadcast(catgirlSwitchedNotice(newName, oldName));
    return { success: true };
  });

  app.post('/reload', async () => {
    ctx.config.reload();
    ctx.config.characters();
    return { success: true, message: '角色配置已重新加载' };
  });

  app.post('/master', async (req) => {
    ctx.config.saveCharacters(replaceMaster(ctx.config.characters(), objectBody(req.body)));
    memoryReloadSoon(ctx);
    return { success: true };
  });

  app.post('/catgirl', async (req) => {
    const body = objectBody(req.body);
    refusePageName(body['档案名']);
    const { doc, name } = addCharacter(ctx.config.characters(), body);
    ctx.config.saveCharacters(applySystemPrompt(doc, name, body));
    memoryReloadSoon(ctx);
    return { success: true };
  });

  app.put<{ Params: { name: string } }>('/catgirl/:name', async (req) => {
    const doc = ctx.config.characters();
    const name = characterFromPath(doc, req.params.name);
    const body = objectBody(req.body);
    const replaced = replacePersona(doc, name, body);
    let next = applySystemPrompt(replaced.doc, name, body);
    let voiceChanged = false;
    if ('voice_id' in body) ({ doc: next, changed: voiceChanged } = setVoiceId(next, name, checkVoiceId(ctx, body.voice_id)));
    ctx.config.saveCharacters(next);
    memoryReloadSoon(ctx);
    const restarted = voiceChanged ? await restartSessionAfterVoiceChange(ctx, name) : false;
    return { success: true, voice_id_changed: voiceChanged, session_restarted: restarted, ignored_reserved_fields: replaced.ignoredReservedFields.filter((f) => f !== 'system_prompt') };
  });

  app.delete<{ Params: { name: string } }>('/catgirl/:name', async (req) => {
    const doc = ctx.config.characters();
    const name = characterFromPath(doc, req.params.name);
    const next = deleteCharacter(doc, name);
    // Memory first: a failure leaves both the character and its memories in place.
    await requiredMemoryCall('删除角色的记忆', () => ctx.memory.deleteCharacter(name));
    ctx.config.saveCharacters(next);
    return { success: true };
  });

  app.post('/set_microphone', async (req) => {
    ctx.config.saveCharacters(setMicrophone(ctx.config.characters(), objectBody(req.body).microphone_id));
    return { success: true };
  });

  app.get('/get_microphone', async () => ({ microphone_id: ctx.config.characters()[MICROPHONE_KEY] ?? null }));

  await characterVoiceRoutes(app, ctx);
  await characterCardRoutes(app, ctx, avatars);
}
