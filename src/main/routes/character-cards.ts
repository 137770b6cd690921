import type { FastifyInstance } from 'fastify';
import { applySystemPrompt, CHARACTERS_KEY, upsertFromCard } from '../../shared/config/characters.js';
import { badRequest } from '../../shared/errors.js';
import type { AvatarDirs } from '../avatar/page-model.js';
import { listCharacterCards, saveCardToModelFolder } from '../cards/character-cards.js';
import type { MainContext } from '../context.js';
import { refusePageName } from './character-names.js';
import { memoryReloadSoon } from './memory-calls.js';
import { objectBody } from './request-body.js';

function cardData(body: Record<string, unknown>): Record<string, unknown> {
  const data = body.charaData;
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw badRequest('缺少必要参数: charaData');
  return data as Record<string, unknown>;
}

/** Character card routes of `/api/characters` (rest.md §4.21). */
export async function characterCardRoutes(app: FastifyInstance, ctx: MainContext, avatars: AvatarDirs): Promise<void> {
  app.get('/character-card/list', async () => {
    const { cards, warnings } = listCharacterCards(ctx.config.paths.characterCards);
    return { success: true, character_cards: cards, warnings };
  });

  app.post('/character-card/save', async (req) => {
    const body = objectBody(req.body);
    const data = cardData(body);
    const { doc, name } = upsertFromCard(ctx.config.characters(), data, body.character_card_name);
    if (!Object.hasOwn(ctx.config.characters()[CHARACTERS_KEY], name)) refusePageName(name);
    ctx.config.saveCharacters(applySystemPrompt(doc, name, data));
    memoryReloadSoon(ctx);
    return { success: true, character_card_name: name };
  });

  app.post('/catgirl/save-to-model-folder', async (req) => {
    const body = objectBody(req.body);
    const data = cardData(body);
    if (!body.modelName || !body.fileName) throw badRequest('缺少必要参数: modelName, fileName');
    const bundled = avatars.live2d.find((r) => r.source === 'static')?.dir ?? '';
    const saved = saveCardToModelFolder(ctx.config.paths.live2d, bundled, body.modelName, body.fileName, data);
    return { success: true, ...saved };
  });
}
