import '../style.css';
import './settings.css';
import { applyTranslations, initI18n, onLanguageChanged, t } from '../i18n';
import { byId, el } from '../ui/dom';
import { refreshTexts, textEl } from '../ui/i18n-text';
import { InlineStatus } from '../ui/inline-status';
import { mountLanguageSwitch } from '../ui/language-switch';
import { ThemeToggle } from '../ui/theme';
import { AppearanceSection } from './appearance';
import { CharactersSection } from './characters';
import { MicrophoneSection } from './microphone';
import { ModelsSection } from './models';
import { ProvidersSection } from './providers';
import type { SettingsSection } from './section';
import { isSectionId, sectionFromLocation, sectionHref, type SectionId } from './sections';
import { VoicesSection } from './voices';
import { sendBeaconOnClose } from '../closing-beacon';

initI18n();
applyTranslations(document);
const themeButton = byId<HTMLButtonElement>('theme-toggle');
const theme = new ThemeToggle(themeButton);
const languageSelect = byId<HTMLSelectElement>('language-select');
mountLanguageSwitch(languageSelect);

const appearance = new AppearanceSection(theme);
const sections: SettingsSection[] = [new ProvidersSection(), new CharactersSection(), new VoicesSection(), new ModelsSection(), new MicrophoneSection(), appearance];
const nav = byId<HTMLUListElement>('section-nav');
const main = byId('settings-main');
const pageStatus = new InlineStatus();
main.append(pageStatus.element);

const panels = new Map<SectionId, HTMLElement>();
const links = new Map<SectionId, HTMLAnchorElement>();
for (const section of sections) {
  const link = textEl('a', `settings.nav.${section.id}`, { href: sectionHref(section.id), 'data-section': section.id, class: 'nav-link' });
  const item = el('li');
  item.append(link);
  nav.append(item);
  links.set(section.id, link);
  const panel = el('section', { class: 'settings-section', id: `section-${section.id}`, 'data-state': 'idle' });
  panel.hidden = true;
  section.mount(panel);
  main.append(panel);
  panels.set(section.id, panel);
}

let shown: SectionId | undefined;

/** Shows one section (and loads what it lists again: other sections or other pages may have changed it). */
async function show(id: SectionId): Promise<void> {
  shown = id;
  for (const [sid, panel] of panels) panel.hidden = sid !== id;
  for (const [sid, link] of links) {
    if (sid === id) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  document.title = `${t(`settings.nav.${id}`)} · ${t('settings.title')}`;
  const panel = panels.get(id)!;
  panel.dataset.state = 'loading';
  pageStatus.clear();
  try {
    await sections.find((s) => s.id === id)!.load();
    panel.dataset.state = 'ready';
  } catch (err) {
    panel.dataset.state = 'error';
    pageStatus.show('error', 'settings.common.loadFailed', { error: (err as Error).message });
  }
}

function go(id: SectionId, push: boolean): void {
  if (push) history.pushState(null, '', sectionHref(id));
  void show(id);
  panels.get(id)!.querySelector<HTMLElement>('h1')?.focus({ preventScroll: true });
}

document.addEventListener('click', (e) => {
  if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
  const link = (e.target as Element).closest<HTMLAnchorElement>('a[data-section], a[data-section-link]');
  const id = link?.dataset.section ?? link?.dataset.sectionLink;
  if (!id || !isSectionId(id)) return;
  e.preventDefault();
  go(id, true);
});
window.addEventListener('popstate', () => void show(sectionFromLocation(location.pathname, location.hash)));
themeButton.addEventListener('click', () => void appearance.load());

onLanguageChanged((lng) => {
  refreshTexts(document);
  theme.apply();
  languageSelect.value = lng;
  if (shown) document.title = `${t(`settings.nav.${shown}`)} · ${t('settings.title')}`;
});

for (const panel of panels.values()) panel.querySelector('h1')?.setAttribute('tabindex', '-1');
void show(sectionFromLocation(location.pathname, location.hash));

sendBeaconOnClose();
