import { el } from './dom';
import { textEl } from './i18n-text';

let nextId = 0;

/** A unique id for label/control pairs built at run time. */
export function uniqueId(prefix = 'f'): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

/** A labelled control: `<label for>` + the control + an optional hint tied to it with aria-describedby. */
export function field(labelKey: string, control: HTMLElement, hintKey?: string, labelValues?: Record<string, unknown>): HTMLDivElement {
  if (!control.id) control.id = uniqueId();
  const wrap = el('div', { class: 'field' });
  wrap.append(textEl('label', labelKey, { for: control.id }, labelValues), control);
  if (hintKey) {
    const hint = textEl('p', hintKey, { class: 'field-hint', id: uniqueId('hint') });
    control.setAttribute('aria-describedby', hint.id);
    wrap.append(hint);
  }
  return wrap;
}

/** A button whose label is a translation key. */
export function button(labelKey: string, opts: { kind?: 'primary' | 'secondary' | 'danger'; type?: 'button' | 'submit' } = {}): HTMLButtonElement {
  return textEl('button', labelKey, { type: opts.type ?? 'button', class: `btn btn-${opts.kind ?? 'secondary'}` });
}

export function textInput(attrs: Record<string, string> = {}): HTMLInputElement {
  return el('input', { type: 'text', autocomplete: 'off', spellcheck: 'false', ...attrs });
}
