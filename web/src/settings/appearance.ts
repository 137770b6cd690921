import { LANGUAGES, currentLanguage, onLanguageChanged, setLanguage, t, type Language } from '../i18n';
import { el } from '../ui/dom';
import { field } from '../ui/form-field';
import { textEl } from '../ui/i18n-text';
import type { ThemeToggle } from '../ui/theme';
import { storageSet } from '../storage';
import { card, sectionHeader, type SettingsSection } from './section';

/** The chat page's theme key (ui/theme.ts): both pages read the same choice. */
const THEME_KEY = 'neko.theme';

/** Language and theme, shared with the chat page (same storage keys). */
export class AppearanceSection implements SettingsSection {
  readonly id = 'appearance' as const;
  private readonly language = el('select', { id: 'settings-language' });
  private readonly radios: HTMLInputElement[] = [];

  constructor(private readonly theme: ThemeToggle) {}

  mount(root: HTMLElement): void {
    sectionHeader(root, this.id);
    const language = card('settings.appearance.languageTitle');
    this.language.replaceChildren(...LANGUAGES.map((lng) => el('option', { value: lng, lang: lng }, t(`language.${lng}`))));
    this.language.addEventListener('change', () => void setLanguage(this.language.value as Language));
    language.body.append(field('settings.appearance.language', this.language, 'settings.appearance.languageHint'));

    const theme = card('settings.appearance.themeTitle');
    const group = el('div', { class: 'radio-list', role: 'radiogroup', 'aria-labelledby': 'theme-heading' });
    theme.card.querySelector('h2')!.id = 'theme-heading';
    for (const value of ['light', 'dark'] as const) {
      const row = el('div', { class: 'radio-row' });
      const radio = el('input', { type: 'radio', name: 'theme', id: `theme-${value}`, value });
      radio.addEventListener('change', () => {
        storageSet(THEME_KEY, value);
        this.theme.apply();
      });
      this.radios.push(radio);
      row.append(radio, textEl('label', `settings.appearance.${value}`, { for: radio.id }));
      group.append(row);
    }
    theme.body.append(group);
    root.append(language.card, theme.card);
    onLanguageChanged(() => (this.language.value = currentLanguage()));
  }

  async load(): Promise<void> {
    this.language.value = currentLanguage();
    const current = this.theme.current();
    for (const r of this.radios) r.checked = r.value === current;
  }
}
