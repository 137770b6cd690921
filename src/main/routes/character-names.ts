import { requireCharacter, validName, type CharactersDocument } from '../../shared/config/characters.js';
import { badRequest } from '../../shared/errors.js';
import { NAMED_PAGES } from './pages.js';

// What must never reach a file name or a memory-service URL, whatever characters.json says.
const PATH_LIKE = /[\u0000-\u001f\u007f-\u009f/\\]|^\.|\.\./;

/**
 * A character named in a URL path or query (already URL-decoded): path-like names are a 400, unknown names a
 * 404 `猫娘不存在`. Existing names are accepted as stored even when the add-time rules (length) are stricter,
 * so an old file's characters stay reachable.
 */
export function characterFromPath(doc: CharactersDocument, raw: string, missingMessage = '猫娘不存在'): string {
  if (raw.trim() === '' || PATH_LIKE.test(raw)) {
    validName(raw); // throws with the original's message when it has one
    throw badRequest(`档案名无效: ${JSON.stringify(raw)}`);
  }
  requireCharacter(doc, raw, missingMessage);
  return raw;
}

/**
 * New names (create, rename, card import) must not be one of the page paths: `/{name}` would open that page
 * instead of the character. Existing characters keep working through the REST API whatever their name.
 */
export function refusePageName(raw: unknown, field = '档案名'): void {
  const name = typeof raw === 'string' ? raw.trim() : '';
  if (name && Object.hasOwn(NAMED_PAGES, name)) {
    throw badRequest(`${field}不能是 "${name}"：/${name} 是设置页面的地址 (this name is reserved for a page)`, 'RESERVED_NAME');
  }
}
