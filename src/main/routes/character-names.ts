import { requireCharacter, validName, type CharactersDocument } from '../../shared/config/characters.js';
import { badRequest } from '../../shared/errors.js';

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
