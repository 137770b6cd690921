import { el } from './dom';

/** The character picker: a native select, so it works with keyboard and screen readers as is. */
export class CharacterSwitcher {
  constructor(private readonly select: HTMLSelectElement) {}

  onChange(handler: (name: string) => void): void {
    this.select.addEventListener('change', () => handler(this.select.value));
  }

  setCharacters(names: string[], current: string): void {
    const all = names.includes(current) ? names : [current, ...names];
    this.select.replaceChildren(...all.map((name) => el('option', { value: name }, name)));
    this.select.value = current;
  }

  setCurrent(name: string): void {
    if (![...this.select.options].some((o) => o.value === name)) this.select.append(el('option', { value: name }, name));
    this.select.value = name;
  }

  setDisabled(disabled: boolean): void {
    this.select.disabled = disabled;
  }
}
