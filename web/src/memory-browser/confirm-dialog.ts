import { t } from '../i18n';
import { byId } from '../ui/dom';

/**
 * "Forget this?" as a modal <dialog>: the browser keeps focus inside it and closes it on Escape; Cancel has the
 * focus first (the safe choice), and focus goes back to the button that opened it.
 */
export class ConfirmDialog {
  private readonly dialog = byId<HTMLDialogElement>('confirm-dialog');
  private readonly title = byId('confirm-title');
  private readonly message = byId('confirm-message');
  private readonly quote = byId('confirm-quote');
  private readonly cancel = byId<HTMLButtonElement>('confirm-cancel');
  private readonly ok = byId<HTMLButtonElement>('confirm-ok');
  private settle: ((yes: boolean) => void) | undefined;

  constructor() {
    this.cancel.addEventListener('click', () => this.dialog.close('cancel'));
    this.ok.addEventListener('click', () => this.dialog.close('ok'));
    this.dialog.addEventListener('close', () => {
      this.settle?.(this.dialog.returnValue === 'ok');
      this.settle = undefined;
    });
  }

  /** Resolves true when the user confirms; the opener gets the focus back either way (if still on the page). */
  ask(opts: { title: string; message: string; quote: string; confirm?: string }): Promise<boolean> {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    this.title.textContent = opts.title;
    this.message.textContent = opts.message;
    this.quote.textContent = opts.quote;
    this.ok.textContent = opts.confirm ?? t('memory.confirm.forget');
    this.cancel.textContent = t('memory.confirm.cancel');
    this.dialog.returnValue = '';
    this.dialog.showModal();
    this.cancel.focus();
    return new Promise((resolve) => {
      this.settle = (yes) => {
        if (!yes && opener?.isConnected) opener.focus();
        resolve(yes);
      };
    });
  }
}
