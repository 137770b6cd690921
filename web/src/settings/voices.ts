import type { ConfigStatus } from '../api';
import { t } from '../i18n';
import { confirmDialog } from '../ui/dialog';
import { el } from '../ui/dom';
import { button, field, textInput } from '../ui/form-field';
import { setText, textEl } from '../ui/i18n-text';
import { InlineStatus } from '../ui/inline-status';
import { loadVoices } from './catalog';
import { CodedError, del, get, seg, upload } from './http';
import { card, sectionHeader, type SettingsSection } from './section';

/** Reference-clip languages the clone route takes (rest.md §4.20). */
const CLONE_LANGUAGES = ['ch', 'en', 'fr', 'de', 'ja', 'ko', 'ru'] as const;
/** Providers whose own speech service speaks when they are the core provider (see the server's TTS choice). */
const PROVIDER_TTS = new Set(['qwen', 'openai', 'step', 'glm', 'gemini']);
type CoreApiView = Record<string, unknown>;
type CustomVoices = { voices: { id?: string; voice_id?: string; name?: string }[] };
/** A cloud voice's state as the library keeps it: absent when usable (see the clone route). */
type VoiceState = 'ok' | 'deploying' | 'undeployed';
const STATE_NOTES: Partial<Record<VoiceState, string>> = { deploying: 'settings.voices.voiceDeploying', undeployed: 'settings.voices.voiceUndeployed' };

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Voices (rest.md §4.18–4.20): which engine speaks, the voice library, preview, clone, delete. */
export class VoicesSection implements SettingsSection {
  readonly id = 'voices' as const;
  private readonly engine = el('p', { class: 'engine-line', id: 'voice-engine' });
  private readonly list = el('ul', { class: 'voice-list', id: 'voice-list' });
  private readonly listStatus = new InlineStatus();
  private readonly localList = el('ul', { class: 'voice-list' });
  private readonly localStatus = new InlineStatus();
  private readonly previewId = textInput({ id: 'preview-voice' });
  private readonly previewStatus = new InlineStatus();
  private readonly player = el('audio', { controls: '', class: 'preview-audio', id: 'preview-audio' });
  private readonly cloneFile = el('input', { type: 'file', accept: 'audio/*,.wav,.mp3,.m4a', id: 'clone-file' });
  private readonly clonePrefix = textInput({ id: 'clone-prefix', maxlength: '20', pattern: '[A-Za-z0-9_-]{1,20}' });
  private readonly cloneLanguage = el('select', { id: 'clone-language' });
  private readonly cloneProgress = el('progress', { max: '1', value: '0', class: 'upload-progress' });
  private readonly cloneStatus = new InlineStatus();
  private readonly cloneButton = button('settings.voices.clone', { kind: 'primary', type: 'submit' });
  private hasLocalTts = false;

  mount(root: HTMLElement): void {
    sectionHeader(root, this.id);
    const engine = card('settings.voices.engineTitle');
    const toProviders = el('a', { href: '/api_key', class: 'text-link', 'data-section-link': 'providers' });
    setText(toProviders, 'settings.voices.engineChange');
    engine.body.append(this.engine, toProviders);

    const library = card('settings.voices.libraryTitle', 'settings.voices.libraryIntro');
    library.body.append(this.list, this.listStatus.element, textEl('h3', 'settings.voices.localTitle', { class: 'sub-title' }), this.localList, this.localStatus.element);

    const preview = card('settings.voices.previewTitle', 'settings.voices.previewIntro');
    const previewForm = el('form', { class: 'inline-form', novalidate: '' });
    const play = button('settings.voices.preview', { kind: 'primary', type: 'submit' });
    previewForm.append(field('settings.voices.voiceId', this.previewId), play);
    previewForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.preview(this.previewId.value.trim() || 'default');
    });
    this.player.hidden = true;
    preview.body.append(previewForm, this.player, this.previewStatus.element);

    const clone = card('settings.voices.cloneTitle', 'settings.voices.cloneIntro');
    const cloneForm = el('form', { class: 'settings-form', novalidate: '' });
    this.cloneLanguage.replaceChildren(
      ...CLONE_LANGUAGES.map((lng) => {
        const option = el('option', { value: lng });
        setText(option, `settings.voices.languages.${lng}`);
        return option;
      }),
    );
    this.cloneProgress.hidden = true;
    const row = el('div', { class: 'field-row' });
    row.append(field('settings.voices.prefix', this.clonePrefix, 'settings.voices.prefixHint'), field('settings.voices.language', this.cloneLanguage));
    cloneForm.append(field('settings.voices.clip', this.cloneFile, 'settings.voices.clipHint'), row, this.cloneButton, this.cloneProgress, this.cloneStatus.element);
    cloneForm.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.clone();
    });
    clone.body.append(cloneForm);

    root.append(engine.card, library.card, preview.card, clone.card);
  }

  async load(): Promise<void> {
    const [core, status] = await Promise.all([get<CoreApiView>('/api/config/core_api'), get<ConfigStatus>('/api/config/status')]);
    this.describeEngine(core, status);
    this.hasLocalTts = core.enableCustomApi === true && str(core.ttsModelUrl) !== '';
    await Promise.all([this.loadLibrary(), this.loadLocalVoices()]);
  }

  /** The same order of choice as the server: custom speech server, the core provider's TTS, else espeak-ng. */
  private describeEngine(core: CoreApiView, status: ConfigStatus): void {
    const customUrl = core.enableCustomApi === true ? str(core.ttsModelUrl) : '';
    if (customUrl) setText(this.engine, 'settings.voices.engineCustom', { url: customUrl });
    else if (!status.core.coreKeyMissing && PROVIDER_TTS.has(status.core.coreApi)) setText(this.engine, 'settings.voices.engineProvider', { provider: status.core.coreApi });
    else setText(this.engine, 'settings.voices.engineOffline');
  }

  private async loadLibrary(): Promise<void> {
    try {
      const view = await loadVoices();
      const ids = Object.keys(view.voices);
      this.list.replaceChildren(...ids.map((id) => this.voiceItem(id, view.voice_owners?.[id] ?? [], true, str(view.voices[id]?.status) as VoiceState)));
      if (ids.length) this.listStatus.clear();
      else this.listStatus.show('info', 'settings.voices.empty');
    } catch (err) {
      this.listStatus.show('error', 'settings.common.loadFailed', { error: (err as Error).message });
    }
  }

  private async loadLocalVoices(): Promise<void> {
    if (!this.hasLocalTts) {
      // Not asked: the server would answer 400 TTS_CUSTOM_URL_NOT_CONFIGURED.
      this.localList.replaceChildren();
      this.localStatus.show('info', 'settings.voices.localNotConfigured');
      return;
    }
    try {
      const found = await get<CustomVoices>('/api/characters/custom_tts_voices');
      const ids = found.voices.map((v) => v.voice_id ?? v.id ?? v.name ?? '').filter(Boolean);
      this.localList.replaceChildren(...ids.map((id) => this.voiceItem(id, [], false)));
      if (ids.length) this.localStatus.clear();
      else this.localStatus.show('info', 'settings.voices.localEmpty');
    } catch (err) {
      const code = (err as CodedError).code;
      this.localList.replaceChildren();
      if (code === 'TTS_CUSTOM_URL_NOT_CONFIGURED') this.localStatus.show('info', 'settings.voices.localNotConfigured');
      else if (code === 'TTS_CUSTOM_URL_LOCALHOST_ONLY') this.localStatus.show('error', 'settings.voices.localOnly');
      else this.localStatus.show('error', 'settings.common.loadFailed', { error: (err as Error).message });
    }
  }

  private voiceItem(id: string, owners: string[], deletable: boolean, state: VoiceState | '' = ''): HTMLLIElement {
    const item = el('li', { class: 'voice-item', 'data-voice': id });
    const name = el('code', {}, id);
    const who = owners.length ? textEl('span', 'settings.voices.usedBy', { class: 'muted' }, { names: owners.join(', ') }) : el('span');
    const play = button('settings.voices.preview');
    play.addEventListener('click', () => void this.preview(id));
    item.append(name, who, play);
    if (deletable) {
      const remove = button('settings.voices.delete', { kind: 'danger' });
      remove.addEventListener('click', () => void this.remove(id));
      item.append(remove);
    }
    const note = el('span', { class: 'muted voice-state' });
    this.showState(item, note, state);
    item.append(note);
    // A voice DashScope was still preparing when it was stored: ask once whether it is ready now.
    if (state === 'deploying') {
      void get<{ status: VoiceState }>(`/api/characters/voices/${seg(id)}/status`).then(
        (res) => this.showState(item, note, res.status),
        () => undefined, // the note stays; the next visit asks again
      );
    }
    return item;
  }

  private showState(item: HTMLLIElement, note: HTMLElement, state: VoiceState | ''): void {
    const key = state ? STATE_NOTES[state] : undefined;
    item.dataset.state = state || 'ok';
    note.hidden = !key;
    if (key) setText(note, key);
    else note.textContent = '';
  }

  /** Asks the server to speak a short line in that voice and plays it. */
  private async preview(voiceId: string): Promise<void> {
    this.previewStatus.show('busy', 'settings.voices.previewing', { voice: voiceId });
    try {
      const res = await get<{ audio: string; mime_type: string }>(`/api/characters/voice_preview?voice_id=${seg(voiceId)}`);
      this.player.src = `data:${res.mime_type};base64,${res.audio}`;
      this.player.hidden = false;
      this.player.dataset.voice = voiceId;
      await this.player.play().catch(() => undefined); // a browser may refuse autoplay: the controls are there
      this.previewStatus.show('ok', 'settings.voices.previewReady', { voice: voiceId });
    } catch (err) {
      const code = (err as CodedError).code;
      if (code === 'TTS_AUDIO_API_KEY_MISSING') this.previewStatus.show('error', 'settings.voices.keyMissing');
      else this.previewStatus.show('error', 'settings.voices.previewFailed', { error: (err as Error).message });
    }
  }

  private async remove(id: string): Promise<void> {
    const ok = await confirmDialog({ title: t('settings.voices.deleteTitle', { voice: id }), message: t('settings.voices.deleteMessage'), confirmLabel: t('settings.voices.delete'), danger: true });
    if (!ok) return;
    try {
      await del(`/api/characters/voices/${seg(id)}`);
      await this.loadLibrary();
      this.listStatus.show('ok', 'settings.voices.deleted', { voice: id });
    } catch (err) {
      this.listStatus.show('error', 'settings.voices.deleteFailed', { error: (err as Error).message });
    }
  }

  private async clone(): Promise<void> {
    const file = this.cloneFile.files?.[0];
    const prefix = this.clonePrefix.value.trim();
    if (!file) return this.cloneStatus.show('error', 'settings.voices.clipRequired');
    if (!/^[A-Za-z0-9_-]{1,20}$/.test(prefix)) {
      this.clonePrefix.focus();
      return this.cloneStatus.show('error', 'settings.voices.prefixInvalid');
    }
    const form = new FormData();
    form.append('file', file, file.name);
    form.append('prefix', prefix);
    form.append('ref_language', this.cloneLanguage.value);
    this.cloneButton.disabled = true;
    this.cloneProgress.hidden = false;
    this.cloneProgress.value = 0;
    this.cloneStatus.show('busy', 'settings.voices.cloning');
    try {
      const res = await upload<{ voice_id: string; reused?: boolean; status?: VoiceState }>('/api/characters/voice_clone', form, (f) => (this.cloneProgress.value = f));
      const said = res.status === 'deploying' ? 'settings.voices.clonedDeploying' : res.reused ? 'settings.voices.cloneReused' : 'settings.voices.cloned';
      this.cloneStatus.show('ok', said, { voice: res.voice_id });
      await Promise.all([this.loadLibrary(), this.loadLocalVoices()]);
    } catch (err) {
      const e = err as CodedError;
      if (e.code === 'TTS_AUDIO_API_KEY_MISSING') this.cloneStatus.show('error', 'settings.voices.cloneNeedsKey');
      else if (e.code === 'TTS_CUSTOM_URL_LOCALHOST_ONLY') this.cloneStatus.show('error', 'settings.voices.localOnly');
      else if (e.code === 'VOICE_CLONE_UNDEPLOYED') this.cloneStatus.show('error', 'settings.voices.cloneUndeployed');
      else this.cloneStatus.show('error', 'settings.voices.cloneFailed', { status: e.status, error: e.message });
    } finally {
      this.cloneButton.disabled = false;
      this.cloneProgress.hidden = true;
    }
  }
}
