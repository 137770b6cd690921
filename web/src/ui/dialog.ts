import { t } from '../i18n';
import { el } from './dom';

interface DialogOptions {
  title: string;
  message?: string;
  confirmLabel: string;
  danger?: boolean;
}

/**
 * A modal `<dialog>` (focus kept inside, Escape cancels) with OK/Cancel, and optionally one text input.
 * Resolves with the input's value (or '' without one) on OK, null on cancel. Texts come already translated.
 */
function openDialog(opts: DialogOptions & { input?: { label: string; value: string } }): Promise<string | null> {
  const dialog = el('dialog', { class: 'dialog', 'aria-labelledby': 'dialog-title' });
  const form = el('form', { method: 'dialog', class: 'dialog-form' });
  form.append(el('h2', { id: 'dialog-title', class: 'dialog-title' }, opts.title));
  if (opts.message) form.append(el('p', { class: 'dialog-message' }, opts.message));
  let input: HTMLInputElement | undefined;
  if (opts.input) {
    input = el('input', { type: 'text', id: 'dialog-input', autocomplete: 'off', required: '' });
    input.value = opts.input.value;
    form.append(el('label', { for: 'dialog-input', class: 'dialog-label' }, opts.input.label), input);
  }
  const cancel = el('button', { type: 'button', class: 'btn btn-secondary', value: 'cancel' }, t('settings.common.cancel'));
  const ok = el('button', { type: 'submit', class: `btn ${opts.danger ? 'btn-danger' : 'btn-primary'}`, value: 'ok' }, opts.confirmLabel);
  const actions = el('div', { class: 'dialog-actions' });
  actions.append(cancel, ok);
  form.append(actions);
  dialog.append(form);
  document.body.append(dialog);
  return new Promise((resolve) => {
    let result: string | null = null;
    form.addEventListener('submit', () => {
      result = input ? input.value.trim() : '';
    });
    cancel.addEventListener('click', () => dialog.close());
    dialog.addEventListener('close', () => {
      dialog.remove();
      resolve(result);
    });
    dialog.showModal();
    (input ?? (opts.danger ? cancel : ok)).focus();
  });
}

export async function confirmDialog(opts: DialogOptions): Promise<boolean> {
  return (await openDialog(opts)) !== null;
}

export function promptDialog(opts: DialogOptions & { label: string; value?: string }): Promise<string | null> {
  return openDialog({ ...opts, input: { label: opts.label, value: opts.value ?? '' } });
}
