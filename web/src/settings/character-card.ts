/**
 * Character card files (`<name>.chara.json`, rest.md §4.21): a flat JSON object of the character's fields.
 * Export happens here in the page (a download); import reads a picked file and hands it to the server.
 */
import type { Card } from './catalog';

export const CARD_SUFFIX = '.chara.json';

/** The card for a character: its persona fields, its name under both keys, and its system prompt. */
export function cardOf(name: string, persona: Card, systemPrompt: string): Card {
  return { 档案名: name, name, ...persona, ...(systemPrompt ? { system_prompt: systemPrompt } : {}) };
}

export function downloadCard(name: string, card: Card): void {
  const blob = new Blob([`${JSON.stringify(card, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${name}${CARD_SUFFIX}`;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export class CardFileError extends Error {}

/** A picked file as a card: a JSON object with a name (`档案名` or `name`). */
export async function readCardFile(file: File): Promise<{ name: string; card: Card }> {
  let value: unknown;
  try {
    value = JSON.parse((await file.text()).replace(/^\uFEFF/, ''));
  } catch {
    throw new CardFileError('settings.cards.notJson');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CardFileError('settings.cards.notObject');
  const card = value as Card;
  const name = [card['档案名'], card.name].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (!name) throw new CardFileError('settings.cards.noName');
  return { name: name.trim(), card };
}
