import type { TurnRole } from '../store/memory-db.js';

// "what did I say about…", "I told you…", 我说过, 我提到, 我跟你说 → the user's own turns.
const USER_SAID = /\b(?:did i|i (?:said|told|mentioned|say|tell|mention)|have i (?:said|told|mentioned))\b|what i (?:said|told|mentioned)|我(?:说过|说的|提到|提过|告诉过?你|跟你说|和你说|讲过)|私が(?:言った|話した)/i;
// "what did you say…", "you told me…", 你说过, 你告诉我 → the character's turns.
const CHARACTER_SAID = /\b(?:did you|you (?:said|told|mentioned|promised|recommended|suggested))\b|what you (?:said|told)|你(?:说过|说的|提到|提过|告诉过?我|跟我说|推荐|建议|答应)|あなたが言った/i;

/** Whose words the question asks about, when it says so. */
export function speakerIntent(query: string): TurnRole | undefined {
  if (USER_SAID.test(query)) return 'user';
  if (CHARACTER_SAID.test(query)) return 'assistant';
  return undefined;
}
