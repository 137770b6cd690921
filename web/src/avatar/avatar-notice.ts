import { t, onLanguageChanged } from '../i18n';
import { el } from '../ui/dom';

/**
 * One line under the avatar saying why the built-in character stands in for the chosen model, with a way to
 * fix it when the page can (adding the Live2D Cubism Core runtime file). Re-translated on language change.
 */
export class AvatarNotice {
  private readonly box = el('div', { class: 'avatar-notice', role: 'status', hidden: '' });
  private readonly text = el('p', { class: 'avatar-notice-text' });
  private readonly upload = el('button', { type: 'button', class: 'avatar-notice-upload' });
  private readonly file = el('input', { type: 'file', accept: '.js,text/javascript,application/javascript', hidden: '', tabindex: '-1' });
  private readonly dismiss = el('button', { type: 'button', class: 'avatar-notice-dismiss' }, '×');
  private message?: { key: string; params: Record<string, string> };
  private uploadState: 'idle' | 'busy' = 'idle';

  constructor(stage: HTMLElement, private readonly onRuntimeAdded: () => void) {
    this.box.append(this.text, el('span', { class: 'avatar-notice-actions' }));
    this.box.lastElementChild!.append(this.upload, this.file, this.dismiss);
    const footer = stage.querySelector('.stage-footer');
    if (footer) stage.insertBefore(this.box, footer);
    else stage.append(this.box);
    this.upload.addEventListener('click', () => this.file.click());
    this.file.addEventListener('change', () => void this.send());
    this.dismiss.addEventListener('click', () => this.hide());
    this.refresh();
    onLanguageChanged(() => this.refresh());
  }

  /** `key`/`params` are an i18n key and its values; `withUpload` offers the runtime file upload. */
  show(key: string, params: Record<string, string>, withUpload: boolean): void {
    this.message = { key, params };
    this.upload.hidden = !withUpload;
    this.box.hidden = false;
    this.box.classList.remove('avatar-notice-error');
    this.refresh();
  }

  hide(): void {
    this.message = undefined;
    this.box.hidden = true;
  }

  private refresh(): void {
    if (this.message) this.text.textContent = t(this.message.key, this.message.params);
    this.upload.textContent = t(this.uploadState === 'busy' ? 'avatar.cubism.uploading' : 'avatar.cubism.upload');
    this.file.setAttribute('aria-label', t('avatar.cubism.upload'));
    this.dismiss.setAttribute('aria-label', t('avatar.dismiss'));
    this.dismiss.title = t('avatar.dismiss');
  }

  private async send(): Promise<void> {
    const file = this.file.files?.[0];
    this.file.value = '';
    if (!file || this.uploadState === 'busy') return;
    this.uploadState = 'busy';
    this.upload.disabled = true;
    this.refresh();
    try {
      const { uploadCubismCore } = await import('./live2d/cubism-runtime');
      await uploadCubismCore(file);
      this.show('avatar.cubism.added', {}, false);
      this.onRuntimeAdded();
    } catch (err) {
      this.show('avatar.cubism.refused', { error: (err as Error).message }, true);
      this.box.classList.add('avatar-notice-error');
    } finally {
      this.uploadState = 'idle';
      this.upload.disabled = false;
      this.refresh();
    }
  }
}
