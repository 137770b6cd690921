/** What several sections list: characters, avatar models, voices (rest.md §4.1, §7.2, §8, §4.18). */
import { el } from '../ui/dom';
import { setText } from '../ui/i18n-text';
import { get, put, seg } from './http';

export type Card = Record<string, unknown>;
export type CharactersDoc = { 主人: Card; 猫娘: Record<string, Card>; 当前猫娘?: string };
export type VrmModel = { name: string; filename: string; url: string; location: 'project' | 'user'; size?: number };
export type Live2dModel = { name: string; display_name?: string; path: string; source: string };
export type VoicesView = { voices: Record<string, Record<string, unknown>>; voice_owners?: Record<string, string[]> };

export const loadCharacters = () => get<CharactersDoc>('/api/characters/');
export const loadReservedFields = async () => (await get<{ all_reserved_fields: string[] }>('/api/config/character_reserved_fields')).all_reserved_fields;
export const loadVrmModels = async () => (await get<{ models: VrmModel[] }>('/api/model/vrm/models')).models;
export const loadLive2dModels = () => get<Live2dModel[]>('/api/live2d/models');
export const loadVoices = () => get<VoicesView>('/api/characters/voices');

/** A character's avatar as one value: `vrm:<url>`, `live2d:<folder>`, or '' when none is bound. */
export function avatarValue(card: Card): string {
  if (card.model_type === 'vrm' && typeof card.vrm === 'string' && card.vrm) return `vrm:${card.vrm}`;
  if (typeof card.live2d === 'string' && card.live2d) return `live2d:${card.live2d}`;
  return '';
}

/** `PUT /api/characters/catgirl/l2d/{name}` for an avatar value. */
export function bindAvatar(character: string, value: string): Promise<unknown> {
  const body = value.startsWith('vrm:') ? { model_type: 'vrm', vrm: value.slice(4) } : { model_type: 'live2d', live2d: value.slice('live2d:'.length) };
  return put(`/api/characters/catgirl/l2d/${seg(character)}`, body);
}

/** Fills an avatar `<select>`: VRM and Live2D groups, plus the current value if it is not listed. */
export function avatarOptions(select: HTMLSelectElement, vrm: VrmModel[], live2d: Live2dModel[], current: string): void {
  const none = el('option', { value: '' });
  setText(none, 'settings.characters.avatarNone');
  const vrmGroup = el('optgroup', { label: 'VRM' });
  vrmGroup.append(...vrm.map((m) => el('option', { value: `vrm:${m.url}` }, m.filename)));
  const l2dGroup = el('optgroup', { label: 'Live2D' });
  l2dGroup.append(...live2d.map((m) => el('option', { value: `live2d:${m.name}` }, m.display_name ?? m.name)));
  select.replaceChildren(none, ...(vrm.length ? [vrmGroup] : []), ...(live2d.length ? [l2dGroup] : []));
  if (current && ![...select.options].some((o) => o.value === current)) {
    select.append(el('option', { value: current }, current.replace(/^(vrm|live2d):/, '')));
  }
  select.value = current;
}

/** Fills a voice `<select>`: the default voice, then the voice library. */
export function voiceOptions(select: HTMLSelectElement, voices: VoicesView, current: string): void {
  const byDefault = el('option', { value: '' });
  setText(byDefault, 'settings.characters.voiceDefault');
  select.replaceChildren(byDefault, ...Object.keys(voices.voices).map((id) => el('option', { value: id }, id)));
  if (current && ![...select.options].some((o) => o.value === current)) select.append(el('option', { value: current }, current));
  select.value = current;
}
