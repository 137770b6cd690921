import { LANGUAGES, currentLanguage, setLanguage, t, type Language } from '../i18n';
import { el } from './dom';

/** Language picker; each language is named in itself so anyone can find theirs. */
export function mountLanguageSwitch(select: HTMLSelectElement): void {
  select.replaceChildren(...LANGUAGES.map((lng) => el('option', { value: lng, lang: lng }, t(`language.${lng}`))));
  select.value = currentLanguage();
  select.addEventListener('change', () => void setLanguage(select.value as Language));
}
