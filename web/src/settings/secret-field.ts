import { el } from '../ui/dom';
import { button, uniqueId } from '../ui/form-field';
import { setAttrText, setText, textEl } from '../ui/i18n-text';

/** What the server sends instead of a stored key: `••••` plus at most the last four characters. */
export const isMask = (v: string) => v.startsWith('••••');

/**
 * An API key input. The stored key never reaches the page: the server sends its mask, which is shown as
 * "a key is saved (••••1234)" and never put in the input. Saving sends the typed key, else the mask back
 * (the server keeps the stored key), or '' after "Remove".
 */
export class SecretField {
  readonly element: HTMLDivElement;
  readonly input: HTMLInputElement;
  private stored = '';
  private forgotten = false;
  private readonly note: HTMLParagraphElement;
  private readonly noteText: HTMLSpanElement;
  private readonly forget: HTMLButtonElement;

  constructor(labelKey: string, labelValues?: Record<string, unknown>) {
    this.input = el('input', { type: 'password', id: uniqueId('key'), autocomplete: 'off', spellcheck: 'false', class: 'secret-input' });
    setAttrText(this.input, 'placeholder', 'settings.keys.placeholder');
    this.noteText = el('span');
    this.forget = button('settings.keys.remove', { kind: 'secondary' });
    this.forget.classList.add('btn-small');
    this.note = el('p', { class: 'field-hint secret-note', id: uniqueId('hint') });
    this.note.append(this.noteText, this.forget);
    this.input.setAttribute('aria-describedby', this.note.id);
    this.element = el('div', { class: 'field' });
    this.element.append(textEl('label', labelKey, { for: this.input.id }, labelValues), this.input, this.note);
    this.forget.addEventListener('click', () => {
      this.forgotten = true;
      this.input.value = '';
      this.render();
    });
    this.input.addEventListener('input', () => this.render());
    this.render();
  }

  /** The mask the server sent ('' = no key stored). Clears anything typed. */
  setStored(mask: string): void {
    this.stored = mask;
    this.forgotten = false;
    this.input.value = '';
    this.render();
  }

  /** A key typed now ('' if none). */
  typed(): string {
    return this.input.value.trim();
  }

  /** True when a key will be in force after saving (typed, or stored and kept). */
  hasKey(): boolean {
    return this.typed() !== '' || (this.stored !== '' && !this.forgotten);
  }

  /** What to post for this field. */
  value(): string {
    if (this.typed()) return this.typed();
    return this.forgotten ? '' : this.stored;
  }

  private render(): void {
    const typing = this.typed() !== '';
    if (this.stored && !this.forgotten) setText(this.noteText, typing ? 'settings.keys.willReplace' : 'settings.keys.saved', { mask: this.stored });
    else if (this.stored && this.forgotten) setText(this.noteText, 'settings.keys.willRemove');
    else setText(this.noteText, 'settings.keys.none');
    this.forget.hidden = !this.stored || this.forgotten;
  }
}
