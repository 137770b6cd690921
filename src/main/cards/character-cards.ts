import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeJsonAtomic } from '../../shared/config/json-file.js';
import { ApiError, badRequest, notFound } from '../../shared/errors.js';
import { isInside, isPlainRelativePath } from '../avatar/asset-files.js';

/** Character card files (`*.chara.json`, rest.md §4.21): flat persona objects plus workshop metadata. */
export const CARD_SUFFIX = '.chara.json';
/** Cards are small text; anything bigger is not a card and is not read into memory. */
const MAX_CARD_BYTES = 2 * 1024 * 1024;

export interface CardEntry {
  id: string;
  name: string;
  description: string;
  tags: unknown[];
  rawData: Record<string, unknown>;
  path: string;
}

export interface CardListing {
  cards: CardEntry[];
  /** Files that were skipped, with why, so the page can tell the user instead of hiding them. */
  warnings: Array<{ file: string; error: string }>;
}

function readCard(file: string): Record<string, unknown> {
  if (statSync(file).size > MAX_CARD_BYTES) throw new Error(`larger than ${MAX_CARD_BYTES} bytes`);
  const value: unknown = JSON.parse(readFileSync(file, 'utf8').replace(/^\uFEFF/, ''));
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not a JSON object');
  return value as Record<string, unknown>;
}

const text = (v: unknown): string => (typeof v === 'string' ? v : '');

export function listCharacterCards(dir: string): CardListing {
  const listing: CardListing = { cards: [], warnings: [] };
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith(CARD_SUFFIX)).sort();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return listing;
    throw err;
  }
  for (const file of files) {
    const path = join(dir, file);
    try {
      const card = readCard(path);
      const name = text(card.name) || text(card['档案名']);
      if (!name) throw new Error('no "name" or "档案名" field');
      const tags = Array.isArray(card.tags) ? card.tags : Array.isArray(card['标签']) ? (card['标签'] as unknown[]) : [];
      listing.cards.push({ id: file.slice(0, -CARD_SUFFIX.length), name, description: text(card.description) || text(card['描述']), tags, rawData: card, path });
    } catch (err) {
      listing.warnings.push({ file, error: (err as Error).message });
    }
  }
  return listing;
}

/** A bare `<name>.chara.json`: no folders, no dot files, no control characters. */
export function isCardFileName(name: unknown): name is string {
  return typeof name === 'string' && name.endsWith(CARD_SUFFIX) && name.length > CARD_SUFFIX.length && basename(name) === name && !name.startsWith('.') && isPlainRelativePath(name);
}

/**
 * Writes a card next to a user-imported Live2D model. Bundled models are read-only (403); every path is
 * resolved through symlinks and must stay inside the user's Live2D folder.
 */
export function saveCardToModelFolder(
  userLive2dDir: string,
  bundledLive2dDir: string,
  modelName: unknown,
  fileName: unknown,
  card: Record<string, unknown>,
): { path: string; modelFolderPath: string } {
  if (typeof modelName !== 'string' || !isPlainRelativePath(modelName) || modelName.includes('/')) throw badRequest('非法模型名称');
  if (!isCardFileName(fileName)) throw badRequest('非法文件名');
  const userModel = join(userLive2dDir, modelName);
  if (!existsSync(userModel)) {
    if (existsSync(join(bundledLive2dDir, modelName))) throw new ApiError(403, '只能保存到用户导入的模型文件夹，无法修改内置模型');
    throw notFound('模型目录不存在');
  }
  const modelDir = realpathSync(userModel);
  if (!isInside(realpathSync(userLive2dDir), modelDir) || !statSync(modelDir).isDirectory()) {
    throw new ApiError(403, '只能保存到用户导入的模型文件夹，无法修改内置模型');
  }
  const target = join(modelDir, fileName);
  if (existsSync(target) && lstatSync(target).isSymbolicLink()) throw new ApiError(403, '目标文件是符号链接，拒绝写入');
  writeJsonAtomic(target, card);
  return { path: target, modelFolderPath: modelDir };
}
