import i18next from 'i18next';
import { en } from './en';
import { zhCN } from './zh-CN';
import { storageGet as safeStorageGet, storageSet as safeStorageSet } from '../storage';

/** Every string on the page goes through here. Adding a language = one file + one entry below. */
export const LANGUAGES = ['en', 'zh-CN'] as const;
export type Language = (typeof LANGUAGES)[number];

const STORAGE_KEY = 'neko.language';
const i18n = i18next.createInstance();

/** The saved choice, else the first browser language we have (any zh-* → zh-CN for now), else English. */
export function detectLanguage(): Language {
  const saved = safeStorageGet(STORAGE_KEY);
  if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const lower = tag.toLowerCase();
    if (lower.startsWith('zh')) return 'zh-CN';
    if (lower.startsWith('en')) return 'en';
  }
  return 'en';
}

export function initI18n(): Language {
  const lng = detectLanguage();
  void i18n.init({
    lng,
    fallbackLng: 'en',
    resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
    // Resources are inline, so initialisation can finish synchronously before the first render.
    initAsync: false,
    interpolation: { escapeValue: false }, // text is set with textContent, never innerHTML
    returnNull: false,
  });
  document.documentElement.lang = lng;
  return lng;
}

export function t(key: string, options?: Record<string, unknown>): string {
  return i18n.t(key, options ?? {}) as string;
}

export function hasKey(key: string): boolean {
  return i18n.exists(key);
}

export function currentLanguage(): Language {
  return (i18n.language as Language) ?? 'en';
}

export async function setLanguage(lng: Language): Promise<void> {
  safeStorageSet(STORAGE_KEY, lng);
  await i18n.changeLanguage(lng);
  document.documentElement.lang = lng;
  applyTranslations(document);
}

export function onLanguageChanged(listener: (lng: Language) => void): void {
  i18n.on('languageChanged', (lng: string) => listener(lng as Language));
}

/**
 * Static markup carries its keys: `data-i18n="key"` sets the text, and
 * `data-i18n-attr="aria-label:key;placeholder:key"` sets attributes.
 */
export function applyTranslations(root: ParentNode): void {
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n]')) el.textContent = t(el.dataset.i18n!);
  for (const el of root.querySelectorAll<HTMLElement>('[data-i18n-attr]')) {
    for (const pair of el.dataset.i18nAttr!.split(';')) {
      const [attr, key] = pair.split(':');
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
}
