import { t } from '../i18n';
import { confirmDialog } from '../ui/dialog';
import { el } from '../ui/dom';
import { button, field } from '../ui/form-field';
import { textEl } from '../ui/i18n-text';
import { InlineStatus } from '../ui/inline-status';
import { avatarValue, bindAvatar, loadCharacters, loadLive2dModels, loadVrmModels, type CharactersDoc } from './catalog';
import { CodedError, del, seg, upload } from './http';
import { card, sectionHeader, type SettingsSection } from './section';

/** One upload form (file picker, button, progress bar, result line). */
class UploadForm {
  readonly element: HTMLFormElement;
  private readonly input: HTMLInputElement;
  private readonly progress = el('progress', { max: '1', value: '0', class: 'upload-progress' });
  private readonly status = new InlineStatus();
  private readonly submit: HTMLButtonElement;

  constructor(
    id: string,
    labelKey: string,
    hintKey: string,
    accept: string,
    private readonly url: string,
    private readonly done: (answer: { model_name?: string }) => Promise<void>,
  ) {
    this.input = el('input', { type: 'file', accept, id });
    this.submit = button('settings.models.upload', { kind: 'primary', type: 'submit' });
    this.element = el('form', { class: 'upload-form', novalidate: '' });
    this.progress.hidden = true;
    this.element.append(field(labelKey, this.input, hintKey), this.submit, this.progress, this.status.element);
    this.element.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.send();
    });
  }

  private async send(): Promise<void> {
    const file = this.input.files?.[0];
    if (!file) return this.status.show('error', 'settings.models.pickFile');
    const form = new FormData();
    form.append('file', file, file.name);
    this.submit.disabled = true;
    this.progress.hidden = false;
    this.progress.value = 0;
    this.status.show('busy', 'settings.models.uploading', { file: file.name, percent: 0 });
    try {
      const answer = await upload<{ model_name?: string }>(this.url, form, (f) => {
        this.progress.value = f;
        this.status.show('busy', 'settings.models.uploading', { file: file.name, percent: Math.round(f * 100) });
      });
      this.input.value = '';
      await this.done(answer);
      this.status.show('ok', 'settings.models.uploaded', { name: answer.model_name ?? file.name });
    } catch (err) {
      const e = err as CodedError;
      this.status.show('error', 'settings.models.uploadFailed', { status: e.status, error: e.message });
    } finally {
      this.submit.disabled = false;
      this.progress.hidden = true;
    }
  }
}

/** Models (rest.md §7, §8): upload a VRM or a Live2D zip, list both kinds, delete, set for a character. */
export class ModelsSection implements SettingsSection {
  readonly id = 'models' as const;
  private readonly character = el('select', { id: 'model-character' });
  private readonly vrmList = el('ul', { class: 'model-list', id: 'vrm-list' });
  private readonly live2dList = el('ul', { class: 'model-list', id: 'live2d-list' });
  private readonly status = new InlineStatus();
  private doc: CharactersDoc = { 主人: {}, 猫娘: {} };

  mount(root: HTMLElement): void {
    sectionHeader(root, this.id);
    const uploads = card('settings.models.uploadTitle');
    const refresh = async () => this.load();
    uploads.body.append(
      new UploadForm('vrm-file', 'settings.models.vrmFile', 'settings.models.vrmHint', '.vrm', '/api/model/vrm/upload', refresh).element,
      new UploadForm('live2d-file', 'settings.models.live2dFile', 'settings.models.live2dHint', '.zip,application/zip', '/api/live2d/upload_model', refresh).element,
    );

    const lists = card('settings.models.listTitle', 'settings.models.listIntro');
    this.character.addEventListener('change', () => void this.load());
    lists.body.append(
      field('settings.models.character', this.character),
      this.status.element,
      textEl('h3', 'settings.models.vrmTitle', { class: 'sub-title' }),
      this.vrmList,
      textEl('h3', 'settings.models.live2dTitle', { class: 'sub-title' }),
      this.live2dList,
    );
    root.append(uploads.card, lists.card);
  }

  async load(): Promise<void> {
    const [doc, vrm, live2d] = await Promise.all([loadCharacters(), loadVrmModels(), loadLive2dModels()]);
    this.doc = doc;
    const chosen = this.character.value || doc.当前猫娘 || Object.keys(doc.猫娘)[0] || '';
    this.character.replaceChildren(...Object.keys(doc.猫娘).map((name) => el('option', { value: name }, name)));
    this.character.value = chosen;
    this.vrmList.replaceChildren(
      ...vrm.map((m) =>
        this.item(m.filename, `vrm:${m.url}`, m.location === 'user' ? 'settings.models.yours' : 'settings.models.bundled', m.location === 'user' ? `/api/model/vrm/model/${seg(m.filename)}` : null),
      ),
    );
    if (!vrm.length) this.vrmList.append(textEl('li', 'settings.models.noneVrm', { class: 'muted' }));
    this.live2dList.replaceChildren(
      ...live2d.map((m) =>
        this.item(m.display_name ?? m.name, `live2d:${m.name}`, m.source === 'documents' ? 'settings.models.yours' : 'settings.models.bundled', m.source === 'documents' ? `/api/live2d/model/${seg(m.name)}` : null),
      ),
    );
    if (!live2d.length) this.live2dList.append(textEl('li', 'settings.models.noneLive2d', { class: 'muted' }));
  }

  /** Characters whose avatar is this model. */
  private users(value: string): string[] {
    return Object.entries(this.doc.猫娘).filter(([, c]) => avatarValue(c) === value).map(([n]) => n);
  }

  private item(label: string, value: string, originKey: string, deleteUrl: string | null): HTMLLIElement {
    const li = el('li', { class: 'model-item', 'data-model': value });
    const users = this.users(value);
    const info = el('div', { class: 'model-info' });
    info.append(el('strong', {}, label), textEl('span', originKey, { class: 'badge' }));
    if (users.length) info.append(textEl('span', 'settings.models.usedBy', { class: 'muted' }, { names: users.join(', ') }));
    const actions = el('div', { class: 'button-row' });
    const character = this.character.value;
    const use = button('settings.models.use');
    use.setAttribute('aria-label', t('settings.models.useFor', { model: label, name: character }));
    use.disabled = !character || users.includes(character);
    use.addEventListener('click', () => void this.use(value, label));
    actions.append(use);
    if (deleteUrl) {
      const remove = button('settings.models.delete', { kind: 'danger' });
      remove.setAttribute('aria-label', t('settings.models.deleteNamed', { model: label }));
      remove.addEventListener('click', () => void this.remove(deleteUrl, label, users));
      actions.append(remove);
    }
    li.append(info, actions);
    return li;
  }

  private async use(value: string, label: string): Promise<void> {
    const name = this.character.value;
    try {
      await bindAvatar(name, value);
      await this.load();
      this.status.show('ok', 'settings.models.set', { model: label, name });
    } catch (err) {
      this.status.show('error', 'settings.models.setFailed', { error: (err as Error).message });
    }
  }

  private async remove(url: string, label: string, users: string[]): Promise<void> {
    const ok = await confirmDialog({
      title: t('settings.models.deleteTitle', { model: label }),
      message: users.length ? t('settings.models.deleteInUse', { names: users.join(', ') }) : t('settings.models.deleteMessage'),
      confirmLabel: t('settings.models.delete'),
      danger: true,
    });
    if (!ok) return;
    try {
      await del(url);
      await this.load();
      this.status.show('ok', 'settings.models.deleted', { model: label });
    } catch (err) {
      this.status.show('error', 'settings.models.deleteFailed', { error: (err as Error).message });
    }
  }
}
