import { t } from '../i18n';
import { storageGet, storageSet } from '../storage';

const STORAGE_KEY = 'neko.theme';
type Theme = 'light' | 'dark';

/** Light or dark: the system's choice until the user picks one with the toggle. */
export class ThemeToggle {
  private readonly system = matchMedia('(prefers-color-scheme: dark)');

  constructor(private readonly button: HTMLButtonElement) {
    this.system.addEventListener('change', () => this.apply());
    button.addEventListener('click', () => {
      storageSet(STORAGE_KEY, this.current() === 'dark' ? 'light' : 'dark');
      this.apply();
    });
    this.apply();
  }

  current(): Theme {
    const saved = storageGet(STORAGE_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
    return this.system.matches ? 'dark' : 'light';
  }

  apply(): void {
    const theme = this.current();
    document.documentElement.dataset.theme = theme;
    const label = t(theme === 'dark' ? 'header.themeToLight' : 'header.themeToDark');
    this.button.setAttribute('aria-label', label);
    this.button.title = label;
  }
}
