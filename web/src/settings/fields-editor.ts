import { el } from '../ui/dom';
import { button, uniqueId } from '../ui/form-field';
import { setAttrText, textEl } from '../ui/i18n-text';

type Kind = 'string' | 'number' | 'json';

/**
 * Free-form persona fields (`性别`, `年龄`, `昵称`, anything the user adds) as name/value rows. Numbers stay
 * numbers and other JSON values stay JSON when their text still parses; everything else is text.
 */
export class FieldsEditor {
  readonly element: HTMLDivElement;
  private readonly rows: HTMLDivElement;

  constructor(private readonly labelKey: string) {
    this.element = el('div', { class: 'fields-editor' });
    const legend = textEl('h3', labelKey, { class: 'fields-title', id: uniqueId('fields') });
    this.rows = el('div', { class: 'field-rows', role: 'group', 'aria-labelledby': legend.id });
    const add = button('settings.fields.add');
    add.addEventListener('click', () => this.addRow('', '', 'string').querySelector('input')?.focus());
    this.element.append(legend, this.rows, add);
  }

  set(values: Record<string, unknown>): void {
    this.rows.replaceChildren();
    for (const [k, v] of Object.entries(values)) {
      const kind: Kind = typeof v === 'string' ? 'string' : typeof v === 'number' ? 'number' : 'json';
      this.addRow(k, kind === 'string' ? (v as string) : kind === 'number' ? String(v) : JSON.stringify(v), kind);
    }
  }

  /** The rows as an object; rows without a name are left out. */
  get(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const row of this.rows.querySelectorAll<HTMLElement>('.field-row-kv')) {
      const name = row.querySelector<HTMLInputElement>('.field-name')!.value.trim();
      const text = row.querySelector<HTMLTextAreaElement>('.field-value')!.value;
      if (!name) continue;
      out[name] = this.typed(text, row.dataset.kind as Kind);
    }
    return out;
  }

  private typed(text: string, kind: Kind): unknown {
    if (kind === 'number' && text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
    if (kind === 'json') {
      try {
        return JSON.parse(text);
      } catch {
        return text;
      }
    }
    return text;
  }

  private addRow(name: string, value: string, kind: Kind): HTMLDivElement {
    const row = el('div', { class: 'field-row-kv', 'data-kind': kind });
    const nameInput = el('input', { type: 'text', class: 'field-name', autocomplete: 'off' });
    nameInput.value = name;
    setAttrText(nameInput, 'aria-label', 'settings.fields.name');
    setAttrText(nameInput, 'placeholder', 'settings.fields.name');
    const valueInput = el('textarea', { class: 'field-value', rows: '1' });
    valueInput.value = value;
    setAttrText(valueInput, 'aria-label', 'settings.fields.value');
    setAttrText(valueInput, 'placeholder', 'settings.fields.value');
    const remove = button('settings.fields.remove');
    remove.classList.add('btn-small');
    remove.addEventListener('click', () => row.remove());
    row.append(nameInput, valueInput, remove);
    this.rows.append(row);
    return row;
  }
}
