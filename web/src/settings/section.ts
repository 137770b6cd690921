import { el } from '../ui/dom';
import { textEl } from '../ui/i18n-text';
import type { SectionId } from './sections';

/** One part of the settings page: built once, (re)loaded each time it is opened. */
export interface SettingsSection {
  readonly id: SectionId;
  mount(root: HTMLElement): void;
  load(): Promise<void>;
}

/** A titled group of controls inside a section. */
export function card(titleKey: string, introKey?: string): { card: HTMLElement; body: HTMLDivElement } {
  const section = el('section', { class: 'card' });
  section.append(textEl('h2', titleKey, { class: 'card-title' }));
  if (introKey) section.append(textEl('p', introKey, { class: 'card-intro' }));
  const body = el('div', { class: 'card-body' });
  section.append(body);
  return { card: section, body };
}

/** A section's heading and lead sentence. */
export function sectionHeader(root: HTMLElement, id: SectionId): void {
  root.append(textEl('h1', `settings.${id}.title`, { class: 'section-title', id: `title-${id}` }));
  root.append(textEl('p', `settings.${id}.intro`, { class: 'section-intro' }));
  root.setAttribute('aria-labelledby', `title-${id}`);
}
