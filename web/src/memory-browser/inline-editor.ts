import { t } from '../i18n';
import { el } from '../ui/dom';

export interface InlineEditOptions {
  /** The element whose text is edited; it is hidden while the editor is open. */
  target: HTMLElement;
  /** Elements hidden while editing (the row's own buttons). */
  hide: HTMLElement[];
  label: string;
  initial: string;
  /** Saves the text; a rejection keeps the editor open with the error shown. */
  save(text: string): Promise<void>;
  /** Called after the editor closed (saved or cancelled). */
  done(saved: boolean): void;
  /** Turns a failure into the sentence shown under the editor. */
  describeError(err: unknown): string;
}

let editors = 0;

/**
 * Replaces a text with a labelled textarea and Save / Cancel. Escape cancels, Ctrl/Cmd+Enter saves; empty text
 * cannot be saved (forgetting is its own action).
 */
export function editInline(opts: InlineEditOptions): void {
  const id = `inline-editor-${++editors}`;
  const form = el('form', { class: 'mb-editor' });
  const label = el('label', { for: id, class: 'visually-hidden' }, opts.label);
  const area = el('textarea', { id, rows: String(Math.min(8, Math.max(2, Math.ceil(opts.initial.length / 60)))) });
  area.value = opts.initial;
  const error = el('p', { class: 'mb-editor-error', role: 'alert', hidden: '' });
  const save = el('button', { type: 'submit', class: 'mb-button mb-button-primary' }, t('memory.actions.save'));
  const cancel = el('button', { type: 'button', class: 'mb-button' }, t('memory.actions.cancel'));
  form.append(label, area, error, el('div', { class: 'mb-editor-buttons' }));
  form.lastElementChild!.append(save, cancel);

  const close = (saved: boolean) => {
    form.remove();
    opts.target.hidden = false;
    for (const h of opts.hide) h.hidden = false;
    opts.done(saved);
  };
  const update = () => {
    save.disabled = area.value.trim() === '';
  };
  area.addEventListener('input', update);
  area.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      close(false);
    } else if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  cancel.addEventListener('click', () => close(false));
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const text = area.value;
    if (text.trim() === '') return;
    if (text === opts.initial) return close(false);
    save.disabled = true;
    error.hidden = true;
    opts.save(text).then(
      () => {
        opts.target.textContent = text;
        close(true);
      },
      (err: unknown) => {
        error.textContent = opts.describeError(err);
        error.hidden = false;
        save.disabled = false;
        area.focus();
      },
    );
  });

  opts.target.hidden = true;
  for (const h of opts.hide) h.hidden = true;
  opts.target.after(form);
  update();
  area.focus();
  area.setSelectionRange(area.value.length, area.value.length);
}
