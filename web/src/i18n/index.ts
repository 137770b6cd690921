import i18next from 'i18next';
import { storageGet as safeStorageGet, storageSet as safeStorageSet } from '../storage';

/**
 * Every string on every page goes through here. Strings live by area (`chat/`, `settings/`, …), one file per
 * language (`<area>/<lang>.ts`, default export); the areas of a language are merged into one tree, so keys
 * read the same wherever they are defined. Adding a language = one file per area + one entry below.
 */
export const LANGUAGES = ['en', 'zh-CN', 'zh-TW', 'ja', 'ko', 'ru'] as const;
export type Language = (typeof LANGUAGES)[number];

type Tree = { [key: string]: string | Tree };
const files = import.meta.glob<Tree>('./*/*.ts', { eager: true, import: 'default' });

function merge(into: Tree, from: Tree): Tree {
  for (const [key, value] of Object.entries(from)) {
    const existing = into[key];
    into[key] = typeof value === 'object' && typeof existing === 'object' ? merge(existing, value) : value;
  }
  return into;
}

/** `{ en: { translation: {…all areas…} }, ja: … }` from the files found at build time. */
function resources(): Record<string, { translation: Tree }> {
  const out: Record<string, { translation: Tree }> = {};
  for (const [path, tree] of Object.entries(files)) {
    const lng = path.slice(path.lastIndexOf('/') + 1, -'.ts'.length);
    out[lng] ??= { translation: {} };
    merge(out[lng].translation, tree);
  }
  return out;
}

const STORAGE_KEY = 'neko.language';
const i18n = i18next.createInstance();

/** A browser language tag → ours: Traditional Chinese for zh-TW/HK/MO and zh-Hant, Simplified for other zh. */
export function languageOfTag(tag: string): Language | undefined {
  const lower = tag.toLowerCase();
  if (lower.startsWith('zh')) return /^zh-(tw|hk|mo)\b|hant/.test(lower) ? 'zh-TW' : 'zh-CN';
  const base = lower.split('-')[0];
  return (LANGUAGES as readonly string[]).includes(base!) ? (base as Language) : undefined;
}

/** The saved choice, else the first browser language we have, else English. */
export function detectLanguage(): Language {
  const saved = safeStorageGet(STORAGE_KEY);
  if (saved && (LANGUAGES as readonly string[]).includes(saved)) return saved as Language;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const lng = languageOfTag(tag);
    if (lng) return lng;
  }
  return 'en';
}

export function initI18n(): Language {
  const lng = detectLanguage();
  void i18n.init({
    lng,
    fallbackLng: 'en',
    resources: resources(),
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
