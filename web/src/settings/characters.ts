import { t } from '../i18n';
import { confirmDialog, promptDialog } from '../ui/dialog';
import { el } from '../ui/dom';
import { button, field, textInput } from '../ui/form-field';
import { setAttrText, setText, textEl } from '../ui/i18n-text';
import { InlineStatus } from '../ui/inline-status';
import {
  avatarOptions, avatarValue, bindAvatar, loadCharacters, loadLive2dModels, loadReservedFields, loadVoices, loadVrmModels, voiceOptions,
  type Card, type CharactersDoc,
} from './catalog';
import { CardFileError, cardOf, downloadCard, readCardFile } from './character-card';
import { FieldsEditor } from './fields-editor';
import { del, get, post, put, seg } from './http';
import { card, sectionHeader, type SettingsSection } from './section';

const NAME_FIELD = '档案名';
type CardListing = { character_cards: { id: string; name: string; description: string; rawData: Card }[] };

/** The persona fields of a flattened card: reserved and flattened keys left out. */
function personaOf(c: Card, reserved: ReadonlySet<string>): Card {
  return Object.fromEntries(Object.entries(c).filter(([k]) => !reserved.has(k) && k !== NAME_FIELD));
}

/**
 * Characters (rest.md §4): list, create, edit persona fields and the system prompt, rename, delete, make
 * current, avatar and voice, export/import of card files, and the user's own profile.
 */
export class CharactersSection implements SettingsSection {
  readonly id = 'characters' as const;
  private doc: CharactersDoc = { 主人: {}, 猫娘: {} };
  private reserved: ReadonlySet<string> = new Set(['_reserved']);
  private selected: string | null = null;
  /** True while the editor holds a character that does not exist yet. */
  private creating = false;

  private readonly list = el('ul', { class: 'character-list', id: 'character-list' });
  private readonly listStatus = new InlineStatus();
  private readonly importInput = el('input', { type: 'file', accept: '.json,application/json', class: 'visually-hidden', id: 'card-import' });

  private readonly editorCard = card('settings.characters.editorTitle');
  private readonly editorHeading = el('h3', { class: 'editor-heading' });
  private readonly nameInput = textInput({ id: 'character-name', maxlength: '40' });
  private readonly nameField = field('settings.characters.name', this.nameInput, 'settings.characters.nameHint');
  private readonly fields = new FieldsEditor('settings.characters.fields');
  private readonly prompt = el('textarea', { id: 'system-prompt', rows: '8', class: 'prompt-input' });
  private readonly avatar = el('select', { id: 'character-avatar' });
  private readonly voice = el('select', { id: 'character-voice' });
  private readonly editorStatus = new InlineStatus();
  private readonly saveButton = button('settings.common.save', { kind: 'primary', type: 'submit' });
  private readonly renameButton = button('settings.characters.rename');
  private readonly exportButton = button('settings.characters.export');
  private readonly currentButton = button('settings.characters.makeCurrent');
  private readonly deleteButton = button('settings.characters.delete', { kind: 'danger' });
  private loadedAvatar = '';
  private loadedVoice = '';

  private readonly cardsList = el('ul', { class: 'card-files' });
  private readonly cardsStatus = new InlineStatus();
  private readonly master = new FieldsEditor('settings.master.fields');
  private readonly masterName = textInput({ id: 'master-name' });
  private readonly masterStatus = new InlineStatus();

  mount(root: HTMLElement): void {
    sectionHeader(root, this.id);

    const people = card('settings.characters.listTitle');
    const create = button('settings.characters.create', { kind: 'primary' });
    create.addEventListener('click', () => this.startCreate());
    const importButton = button('settings.cards.import');
    importButton.addEventListener('click', () => this.importInput.click());
    this.importInput.addEventListener('change', () => void this.importPicked());
    const tools = el('div', { class: 'button-row' });
    tools.append(create, importButton, this.importInput);
    people.body.append(this.list, tools, this.listStatus.element);

    const form = el('form', { class: 'settings-form character-editor', novalidate: '' });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save();
    });
    setAttrText(this.prompt, 'placeholder', 'settings.characters.promptPlaceholder');
    const actions = el('div', { class: 'form-actions' });
    actions.append(this.saveButton, this.renameButton, this.exportButton, this.currentButton, this.deleteButton);
    const pickers = el('div', { class: 'field-row' });
    pickers.append(field('settings.characters.avatar', this.avatar), field('settings.characters.voice', this.voice));
    form.append(
      this.editorHeading,
      this.nameField,
      this.fields.element,
      field('settings.characters.prompt', this.prompt, 'settings.characters.promptHint'),
      pickers,
      actions,
      this.editorStatus.element,
    );
    this.editorCard.body.append(form);
    this.editorCard.card.hidden = true;
    this.renameButton.addEventListener('click', () => void this.rename());
    this.exportButton.addEventListener('click', () => this.exportCard());
    this.currentButton.addEventListener('click', () => void this.makeCurrent());
    this.deleteButton.addEventListener('click', () => void this.remove());

    const cards = card('settings.cards.title', 'settings.cards.intro');
    cards.body.append(this.cardsList, this.cardsStatus.element);

    const me = card('settings.master.title', 'settings.master.intro');
    const masterForm = el('form', { class: 'settings-form', novalidate: '' });
    const masterSave = button('settings.common.save', { kind: 'primary', type: 'submit' });
    masterForm.append(field('settings.master.name', this.masterName), this.master.element, masterSave, this.masterStatus.element);
    masterForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.saveMaster();
    });
    me.body.append(masterForm);

    root.append(people.card, this.editorCard.card, cards.card, me.card);
  }

  async load(): Promise<void> {
    const [doc, reserved] = await Promise.all([loadCharacters(), loadReservedFields()]);
    this.doc = doc;
    this.reserved = new Set([...reserved, '_reserved']);
    this.renderList();
    const master = { ...doc.主人 };
    this.masterName.value = typeof master[NAME_FIELD] === 'string' ? (master[NAME_FIELD] as string) : '';
    delete master[NAME_FIELD];
    this.master.set(master);
    if (this.selected && !this.creating && this.doc.猫娘[this.selected]) await this.edit(this.selected);
    else if (!this.creating) this.editorCard.card.hidden = true;
    void this.loadCardFiles();
  }

  private renderList(): void {
    this.list.replaceChildren(
      ...Object.keys(this.doc.猫娘).map((name) => {
        const item = el('li');
        const open = el('button', { type: 'button', class: 'character-item', 'data-name': name }, name);
        if (name === this.selected && !this.creating) open.setAttribute('aria-current', 'true');
        open.addEventListener('click', () => void this.edit(name));
        item.append(open);
        if (name === this.doc.当前猫娘) item.append(textEl('span', 'settings.characters.current', { class: 'badge badge-ok' }));
        return item;
      }),
    );
  }

  /** Fills the avatar and voice pickers (their lists can change in other sections). */
  private async fillPickers(avatar: string, voice: string): Promise<void> {
    const [vrm, live2d, voices] = await Promise.all([loadVrmModels(), loadLive2dModels(), loadVoices()]);
    avatarOptions(this.avatar, vrm, live2d, avatar);
    voiceOptions(this.voice, voices, voice);
    this.loadedAvatar = avatar;
    this.loadedVoice = voice;
  }

  private async edit(name: string): Promise<void> {
    const c = this.doc.猫娘[name];
    if (!c) return;
    this.selected = name;
    this.creating = false;
    this.renderList();
    this.editorCard.card.hidden = false;
    delete this.editorHeading.dataset.i18nKey;
    this.editorHeading.textContent = name;
    this.nameField.hidden = true;
    this.fields.set(personaOf(c, this.reserved));
    this.prompt.value = typeof c.system_prompt === 'string' ? c.system_prompt : '';
    for (const b of [this.renameButton, this.exportButton, this.currentButton, this.deleteButton]) b.hidden = false;
    this.currentButton.hidden = name === this.doc.当前猫娘;
    this.editorStatus.clear();
    await this.fillPickers(avatarValue(c), typeof c.voice_id === 'string' ? c.voice_id : '');
  }

  private startCreate(): void {
    this.selected = null;
    this.creating = true;
    this.renderList();
    this.editorCard.card.hidden = false;
    setText(this.editorHeading, 'settings.characters.newHeading');
    this.nameField.hidden = false;
    this.nameInput.value = '';
    this.fields.set({ 性别: '', 昵称: '' });
    this.prompt.value = '';
    for (const b of [this.renameButton, this.exportButton, this.currentButton, this.deleteButton]) b.hidden = true;
    this.editorStatus.clear();
    void this.fillPickers('', '');
    this.nameInput.focus();
  }

  private async save(): Promise<void> {
    const persona = this.fields.get();
    const body = { ...persona, system_prompt: this.prompt.value };
    this.saveButton.disabled = true;
    this.editorStatus.show('busy', 'settings.common.saving');
    try {
      let name = this.selected;
      if (this.creating) {
        name = this.nameInput.value.trim();
        if (!name) {
          this.editorStatus.show('error', 'settings.characters.nameRequired');
          this.nameInput.focus();
          return;
        }
        await post('/api/characters/catgirl', { [NAME_FIELD]: name, ...body });
        this.creating = false;
        this.selected = name;
      } else if (name) {
        await put(`/api/characters/catgirl/${seg(name)}`, body);
      }
      if (!name) return;
      if (this.avatar.value && this.avatar.value !== this.loadedAvatar) await bindAvatar(name, this.avatar.value);
      if (this.voice.value !== this.loadedVoice) await put(`/api/characters/catgirl/voice_id/${seg(name)}`, { voice_id: this.voice.value });
      await this.load();
      this.editorStatus.show('ok', 'settings.characters.saved', { name });
    } catch (err) {
      this.editorStatus.show('error', 'settings.common.saveFailed', { error: (err as Error).message });
    } finally {
      this.saveButton.disabled = false;
    }
  }

  private async rename(): Promise<void> {
    const old = this.selected;
    if (!old) return;
    const next = await promptDialog({
      title: t('settings.characters.renameTitle', { name: old }),
      label: t('settings.characters.newName'),
      value: old,
      confirmLabel: t('settings.characters.rename'),
    });
    if (!next || next === old) return;
    try {
      await post(`/api/characters/catgirl/${seg(old)}/rename`, { new_name: next });
      this.selected = next;
      await this.load();
      this.editorStatus.show('ok', 'settings.characters.renamed', { old, name: next });
    } catch (err) {
      this.editorStatus.show('error', 'settings.characters.renameFailed', { error: (err as Error).message });
    }
  }

  private async makeCurrent(): Promise<void> {
    if (!this.selected) return;
    try {
      await post('/api/characters/current_catgirl', { catgirl_name: this.selected });
      await this.load();
      this.editorStatus.show('ok', 'settings.characters.nowCurrent', { name: this.selected });
    } catch (err) {
      this.editorStatus.show('error', 'settings.common.saveFailed', { error: (err as Error).message });
    }
  }

  private async remove(): Promise<void> {
    const name = this.selected;
    if (!name) return;
    const ok = await confirmDialog({
      title: t('settings.characters.deleteTitle', { name }),
      message: t('settings.characters.deleteMessage'),
      confirmLabel: t('settings.characters.delete'),
      danger: true,
    });
    if (!ok) return;
    try {
      await del(`/api/characters/catgirl/${seg(name)}`);
      this.selected = null;
      this.editorCard.card.hidden = true;
      await this.load();
      this.listStatus.show('ok', 'settings.characters.deleted', { name });
    } catch (err) {
      this.editorStatus.show('error', 'settings.characters.deleteFailed', { error: (err as Error).message });
    }
  }

  private exportCard(): void {
    const name = this.selected;
    if (!name) return;
    downloadCard(name, cardOf(name, this.fields.get(), this.prompt.value));
    this.editorStatus.show('ok', 'settings.cards.exported', { file: `${name}.chara.json` });
  }

  private async importPicked(): Promise<void> {
    const file = this.importInput.files?.[0];
    this.importInput.value = '';
    if (!file) return;
    try {
      const { name, card: data } = await readCardFile(file);
      await this.importCard(name, data);
    } catch (err) {
      if (err instanceof CardFileError) this.listStatus.show('error', err.message, { file: file.name });
      else this.listStatus.show('error', 'settings.cards.importFailed', { error: (err as Error).message });
    }
  }

  /** Creates (or, after asking, replaces) a character from a card. */
  private async importCard(name: string, data: Card): Promise<void> {
    if (this.doc.猫娘[name]) {
      const ok = await confirmDialog({
        title: t('settings.cards.replaceTitle', { name }),
        message: t('settings.cards.replaceMessage'),
        confirmLabel: t('settings.cards.replace'),
        danger: true,
      });
      if (!ok) return;
    }
    const saved = await post<{ character_card_name: string }>('/api/characters/character-card/save', { charaData: data, character_card_name: name });
    this.selected = saved.character_card_name;
    this.creating = false;
    await this.load();
    this.listStatus.show('ok', 'settings.cards.imported', { name: saved.character_card_name });
  }

  private async loadCardFiles(): Promise<void> {
    try {
      const listing = await get<CardListing>('/api/characters/character-card/list');
      this.cardsList.replaceChildren(
        ...listing.character_cards.map((c) => {
          const item = el('li', { class: 'card-file' });
          const add = button('settings.cards.add');
          add.addEventListener('click', () => void this.importCard(c.name, c.rawData).catch((err: Error) => this.cardsStatus.show('error', 'settings.cards.importFailed', { error: err.message })));
          item.append(el('strong', {}, c.name), el('span', { class: 'muted' }, c.description), add);
          return item;
        }),
      );
      if (listing.character_cards.length === 0) this.cardsStatus.show('info', 'settings.cards.none');
      else this.cardsStatus.clear();
    } catch (err) {
      this.cardsStatus.show('error', 'settings.common.loadFailed', { error: (err as Error).message });
    }
  }

  private async saveMaster(): Promise<void> {
    try {
      await post('/api/characters/master', { ...this.master.get(), [NAME_FIELD]: this.masterName.value.trim() });
      await this.load();
      this.masterStatus.show('ok', 'settings.master.saved');
    } catch (err) {
      this.masterStatus.show('error', 'settings.common.saveFailed', { error: (err as Error).message });
    }
  }
}
