import { t } from '../i18n';
import { byId } from '../ui/dom';

/**
 * The line under the header that says what is wrong (memory service down, unknown character, a failed action)
 * with a "Try again" button; announced as an alert. While the memory service is down the page retries by itself.
 */
export class StatusBanner {
  private readonly box = byId('status-banner');
  private readonly text = byId('status-text');
  private readonly retry = byId<HTMLButtonElement>('status-retry');
  private retryHandler: (() => void) | undefined;

  constructor() {
    this.retry.addEventListener('click', () => this.retryHandler?.());
  }

  show(message: string, retry?: () => void): void {
    this.text.textContent = message;
    this.retryHandler = retry;
    this.retry.hidden = !retry;
    this.retry.textContent = t('memory.errors.retry');
    this.box.hidden = false;
  }

  hide(): void {
    this.box.hidden = true;
    this.retryHandler = undefined;
  }

  get visible(): boolean {
    return !this.box.hidden;
  }
}
