import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  addCharacter, bindAvatar, CharactersFileSchema, deleteCharacter, effectiveSystemPrompt, flattenDocument,
  normaliseDocument, renameCharacter, replacePersona, setCurrentCharacter, setLighting, type CharactersDocument,
} from './characters.js';
import { DEFAULT_PROMPTS } from './default-characters.js';
import { ApiError } from '../errors.js';

/** A characters.json as the original app writes it, with legacy flat keys still present on one card. */
const ORIGINAL = {
  主人: { 档案名: '哥哥', 性别: '男', 昵称: '哥哥' },
  猫娘: {
    test: {
      性别: '女', 年龄: 15, 昵称: 'T酱, 小T',
      _reserved: {
        voice_id: '', system_prompt: '',
        avatar: { model_type: 'live2d', asset_source: 'local', asset_source_id: '', live2d: { model_path: 'mao_pro/mao_pro.model3.json' }, vrm: { model_path: '', animation: null, idle_animation: '', lighting: null } },
      },
    },
    小天: { 性别: '女', live2d: 'hiyori', voice_id: 'voice-abc', system_prompt: '你是{LANLAN_NAME}，{MASTER_NAME}的猫娘。', item_id: 12345 },
  },
  当前猫娘: 'test',
};

function load(): CharactersDocument {
  return normaliseDocument(CharactersFileSchema.parse(structuredClone(ORIGINAL))).doc;
}

function status(fn: () => unknown): number {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err.status;
    throw err;
  }
  return 200;
}

test("the original's file loads; legacy flat keys move into _reserved", () => {
  const { doc, changed } = normaliseDocument(CharactersFileSchema.parse(structuredClone(ORIGINAL)));
  assert.equal(changed, true);
  const card = doc.猫娘.小天!;
  assert.equal(card.live2d, undefined);
  assert.equal(card._reserved!.voice_id, 'voice-abc');
  assert.equal(card._reserved!.avatar.live2d.model_path, 'hiyori/hiyori.model3.json');
  assert.equal(card._reserved!.avatar.asset_source_id, '12345');
  assert.equal(card._reserved!.avatar.asset_source, 'steam_workshop');
  assert.equal(card.性别, '女');
  // already-migrated cards are left alone
  assert.deepEqual(doc.猫娘.test, ORIGINAL.猫娘.test);
});

test('flattened output carries the legacy keys the original page reads', () => {
  const flat = flattenDocument(load()) as { 猫娘: Record<string, Record<string, unknown>> };
  assert.equal(flat.猫娘.小天!.live2d, 'hiyori');
  assert.equal(flat.猫娘.小天!.voice_id, 'voice-abc');
  assert.equal(flat.猫娘.test!.model_type, 'live2d');
  assert.ok(flat.猫娘.test!._reserved);
});

test('a current character that no longer exists falls back to the first one', () => {
  const raw = { ...structuredClone(ORIGINAL), 当前猫娘: 'gone' };
  const { doc, changed } = normaliseDocument(CharactersFileSchema.parse(raw));
  assert.equal(doc.当前猫娘, 'test');
  assert.equal(changed, true);
});

test('add: reserved fields stripped, falsy dropped, duplicate refused', () => {
  const doc = load();
  const { doc: next, name } = addCharacter(doc, { 档案名: 'Mimi', 性别: '女', 昵称: '', voice_id: 'x', _reserved: { evil: 1 } });
  assert.equal(name, 'Mimi');
  assert.deepEqual(Object.keys(next.猫娘.Mimi!).sort(), ['_reserved', '性别']);
  assert.equal(next.猫娘.Mimi!._reserved!.voice_id, '');
  assert.equal(status(() => addCharacter(next, { 档案名: 'Mimi' })), 400);
  assert.equal(doc.猫娘.Mimi, undefined, 'the input document is not mutated');
});

test('replace persona keeps _reserved and reports ignored reserved fields', () => {
  const { doc, ignoredReservedFields } = replacePersona(load(), '小天', { 昵称: '天天', live2d: 'other', system_prompt: 'x' });
  assert.equal(doc.猫娘.小天!.昵称, '天天');
  assert.equal(doc.猫娘.小天!.性别, undefined, 'fields absent from the body are removed');
  assert.equal(doc.猫娘.小天!._reserved!.avatar.live2d.model_path, 'hiyori/hiyori.model3.json');
  assert.deepEqual(ignoredReservedFields.sort(), ['live2d', 'system_prompt']);
});

test('rename moves the card, follows the current character, and refuses collisions and bad names', () => {
  const { doc, newName } = renameCharacter(load(), 'test', 'Tama');
  assert.equal(newName, 'Tama');
  assert.ok(doc.猫娘.Tama);
  assert.equal(doc.猫娘.test, undefined);
  assert.equal(doc.当前猫娘, 'Tama');
  assert.equal(status(() => renameCharacter(load(), 'test', '小天')), 400);
  assert.equal(status(() => renameCharacter(load(), 'nobody', 'x')), 404);
  assert.equal(status(() => renameCharacter(load(), 'test', '../etc')), 400);
  assert.equal(status(() => renameCharacter(load(), 'test', '')), 400);
});

test('delete refuses the current character; set current refuses unknown names', () => {
  assert.equal(status(() => deleteCharacter(load(), 'test')), 400);
  assert.equal(deleteCharacter(load(), '小天').猫娘.小天, undefined);
  assert.equal(status(() => setCurrentCharacter(load(), 'nobody')), 404);
  assert.equal(setCurrentCharacter(load(), '小天').当前猫娘, '小天');
});

test('avatar binding validates VRM and animation paths', () => {
  const vrm = bindAvatar(load(), 'test', { model_type: 'vrm', vrm: '/user_vrm/a.vrm', vrm_animation: '/user_vrm/animation/wave.vrma' }).doc;
  assert.equal(vrm.猫娘.test!._reserved!.avatar.model_type, 'vrm');
  assert.equal(vrm.猫娘.test!._reserved!.avatar.live2d.model_path, '');
  for (const bad of ['http://x/a.vrm', '/user_vrm/../../etc/passwd', 'data:xyz', '/elsewhere/a.vrm']) {
    assert.equal(status(() => bindAvatar(load(), 'test', { model_type: 'vrm', vrm: bad })), 400, bad);
  }
  assert.equal(status(() => bindAvatar(load(), 'test', { model_type: 'vrm', vrm: '/user_vrm/a.vrm', vrm_animation: '/tmp/x.vrma' })), 400);
  const l2d = bindAvatar(vrm, 'test', { live2d: 'hiyori', item_id: '42' }).doc;
  assert.equal(l2d.猫娘.test!._reserved!.avatar.live2d.model_path, 'hiyori/hiyori.model3.json');
  assert.equal(l2d.猫娘.test!._reserved!.avatar.asset_source, 'steam_workshop');
  assert.equal(l2d.猫娘.test!._reserved!.avatar.vrm.model_path, '');
  assert.equal(status(() => bindAvatar(load(), 'test', { model_type: 'gif' })), 400);
});

test('lighting is merged over defaults and range-checked', () => {
  const { lighting } = setLighting(load(), 'test', { ambient: 0.9 });
  assert.equal(lighting.ambient, 0.9);
  assert.equal(lighting.main, 1.2);
  assert.equal(status(() => setLighting(load(), 'test', { rim: 9 })), 400);
  assert.equal(status(() => setLighting(load(), 'test', 'bright')), 400);
});

test('system prompt: defaults follow the UI language, custom prompts are kept, names substituted', () => {
  const doc = load();
  assert.equal(effectiveSystemPrompt(doc, 'test', 'en'), DEFAULT_PROMPTS.en.replaceAll('{LANLAN_NAME}', 'test').replaceAll('{MASTER_NAME}', '哥哥'));
  assert.equal(effectiveSystemPrompt(doc, '小天', 'en'), '你是小天，哥哥的猫娘。');
});
