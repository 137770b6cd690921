import type { ConfigStatus } from '../api';
import type { LocalServersResult, TestConnectionRequest } from '../../../src/shared/protocol/provider-check';
import { el } from '../ui/dom';
import { button, field, textInput } from '../ui/form-field';
import { setText, textEl } from '../ui/i18n-text';
import { InlineStatus } from '../ui/inline-status';
import { ConnectionTest } from './connection-test';
import { get, post } from './http';
import { card, sectionHeader, type SettingsSection } from './section';
import { SecretField } from './secret-field';
import { ASSIST_KEY_FIELDS as SHARED_ASSIST_KEY_FIELDS } from '../../../src/shared/config/core-config';

type ProviderInfo = { key: string; name: string; description: string };
type CoreApiView = Record<string, unknown>;

/** Providers that work without a key (the offline demo, the free tier, a model server on this machine). */
const KEYLESS = new Set(['sim', 'free', 'local']);
/** Text providers with their own key field in core_config.json (rest.md §3.8, plus Kimi): the server's own table. */
const ASSIST_KEY_FIELDS: Readonly<Record<string, string>> = SHARED_ASSIST_KEY_FIELDS;
/** Custom endpoint roles: the conversation one first and open, the others folded. */
const OTHER_ROLES = ['summary', 'correction', 'emotion', 'vision', 'agent', 'omni', 'tts', 'stt'] as const;
type Role = 'conversation' | (typeof OTHER_ROLES)[number];

const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** Our own providers get translated names; the others keep the names the server gives. */
function providerLabel(p: ProviderInfo): { key?: string; text: string } {
  if (p.key === 'sim') return { key: 'settings.providers.simName', text: p.name };
  if (p.key === 'local') return { key: 'settings.providers.localName', text: p.name };
  return { text: p.name };
}

function providerOptions(select: HTMLSelectElement, list: ProviderInfo[]): void {
  select.replaceChildren(
    ...list.map((p) => {
      const label = providerLabel(p);
      const option = el('option', { value: p.key }, label.text);
      if (label.key) setText(option, label.key);
      return option;
    }),
  );
}

/** One custom endpoint (URL, model, key) with its own test button. */
class RoleEndpoint {
  readonly element: HTMLDivElement;
  readonly url = textInput({ inputmode: 'url', placeholder: 'http://127.0.0.1:11434/v1' });
  readonly model = textInput();
  readonly key: SecretField;
  readonly test: ConnectionTest;

  constructor(readonly role: Role) {
    const roleName = `settings.providers.roles.${role}`;
    this.key = new SecretField('settings.providers.customKey');
    this.test = new ConnectionTest(() => ({ scope: 'custom', role, base_url: this.url.value.trim(), api_key: this.key.typed() }));
    this.element = el('div', { class: 'role-endpoint', 'data-role': role });
    this.element.append(
      textEl('h3', roleName, { class: 'role-title' }),
      el('div', { class: 'field-row' }),
    );
    this.element.lastElementChild!.append(field('settings.providers.customUrl', this.url), field('settings.providers.customModel', this.model));
    this.element.append(this.key.element, this.test.element);
  }

  fill(view: CoreApiView): void {
    this.url.value = str(view[`${this.role}ModelUrl`]);
    this.model.value = str(view[`${this.role}ModelId`]);
    this.key.setStored(str(view[`${this.role}ModelApiKey`]));
  }

  body(): Record<string, string> {
    return {
      [`${this.role}ModelUrl`]: this.url.value.trim(),
      [`${this.role}ModelId`]: this.model.value.trim(),
      [`${this.role}ModelApiKey`]: this.key.value(),
    };
  }
}

/** Providers and API keys (rest.md §3.8–3.10): core and text providers, custom endpoints, local servers. */
export class ProvidersSection implements SettingsSection {
  readonly id = 'providers' as const;
  private readonly banner = el('div', { class: 'banner', role: 'status' });
  private readonly coreSelect = el('select', { id: 'core-provider' });
  private readonly coreDescription = el('p', { class: 'field-hint' });
  private readonly coreKey = new SecretField('settings.providers.coreKey');
  private readonly coreTest = new ConnectionTest(() => this.coreTestRequest());
  private readonly assistSelect = el('select', { id: 'assist-provider' });
  private readonly assistDescription = el('p', { class: 'field-hint' });
  private readonly assistKeys = new Map<string, SecretField>();
  private readonly assistList = el('div', { class: 'provider-list' });
  /** `memory_rerank` in core_config.json: the assist model reorders memory recall (read by the memory service). */
  private readonly rerankToggle = el('input', { type: 'checkbox', id: 'memory-rerank', 'aria-describedby': 'memory-rerank-hint' });
  private readonly rerankEnvHint = textEl('p', 'settings.providers.memoryRerankEnv', { class: 'field-hint', id: 'memory-rerank-env', hidden: '' });
  private rerankLocked = false;
  private readonly customToggle = el('input', { type: 'checkbox', id: 'custom-enabled' });
  private readonly roles = new Map<Role, RoleEndpoint>();
  private readonly ttsVoice = textInput();
  private readonly sttLanguage = textInput({ placeholder: 'en' });
  private readonly mcpToken = new SecretField('settings.providers.mcpToken');
  private readonly localList = el('ul', { class: 'local-servers' });
  private readonly localStatus = new InlineStatus();
  private readonly saveStatus = new InlineStatus();
  private readonly saveButton = button('settings.common.save', { kind: 'primary', type: 'submit' });
  private providers: { core: ProviderInfo[]; assist: ProviderInfo[] } = { core: [], assist: [] };

  mount(root: HTMLElement): void {
    sectionHeader(root, this.id);
    const form = el('form', { class: 'settings-form', novalidate: '' });
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.save();
    });
    root.append(this.banner, form);

    const core = card('settings.providers.coreTitle', 'settings.providers.coreIntro');
    core.body.append(field('settings.providers.coreProvider', this.coreSelect), this.coreDescription, this.coreKey.element, this.coreTest.element);
    this.coreSelect.addEventListener('change', () => {
      this.coreTest.reset();
      this.renderChoices();
    });

    const assist = card('settings.providers.assistTitle', 'settings.providers.assistIntro');
    const rerank = el('div', { class: 'check-row' });
    rerank.append(this.rerankToggle, textEl('label', 'settings.providers.memoryRerank', { for: this.rerankToggle.id }));
    const rerankHint = textEl('p', 'settings.providers.memoryRerankHint', { class: 'field-hint', id: 'memory-rerank-hint' });
    assist.body.append(field('settings.providers.assistProvider', this.assistSelect), this.assistDescription, this.assistList, rerank, rerankHint, this.rerankEnvHint);
    this.assistSelect.addEventListener('change', () => this.renderChoices());

    const local = card('settings.providers.localTitle', 'settings.providers.localIntro');
    const rescan = button('settings.providers.rescan');
    rescan.addEventListener('click', () => void this.scanLocal());
    local.body.append(this.localList, this.localStatus.element, rescan);

    const custom = card('settings.providers.customTitle', 'settings.providers.customIntro');
    const toggle = el('div', { class: 'check-row' });
    toggle.append(this.customToggle, textEl('label', 'settings.providers.customEnabled', { for: this.customToggle.id }));
    const conversation = new RoleEndpoint('conversation');
    this.roles.set('conversation', conversation);
    const more = el('details', { class: 'more-roles' });
    more.append(textEl('summary', 'settings.providers.moreRoles'));
    for (const role of OTHER_ROLES) {
      const endpoint = new RoleEndpoint(role);
      this.roles.set(role, endpoint);
      more.append(endpoint.element);
      if (role === 'tts') endpoint.element.append(field('settings.providers.ttsVoice', this.ttsVoice));
      if (role === 'stt') endpoint.element.append(field('settings.providers.sttLanguage', this.sttLanguage));
    }
    custom.body.append(toggle, conversation.element, more);

    const advanced = card('settings.providers.advancedTitle');
    advanced.body.append(this.mcpToken.element);

    const actions = el('div', { class: 'form-actions' });
    actions.append(this.saveButton, this.saveStatus.element);
    form.append(core.card, assist.card, local.card, custom.card, advanced.card, actions);
  }

  async load(): Promise<void> {
    const [view, list, status] = await Promise.all([
      get<CoreApiView>('/api/config/core_api'),
      get<{ core_api_providers: ProviderInfo[]; assist_api_providers: ProviderInfo[] }>('/api/config/api_providers'),
      get<ConfigStatus>('/api/config/status'),
    ]);
    this.providers = { core: list.core_api_providers, assist: list.assist_api_providers };
    this.fill(view);
    this.showBanner(status);
    void this.scanLocal();
  }

  private fill(view: CoreApiView): void {
    providerOptions(this.coreSelect, this.providers.core);
    providerOptions(this.assistSelect, this.providers.assist);
    this.coreSelect.value = str(view.coreApi) || 'qwen';
    this.assistSelect.value = str(view.assistApi) || 'qwen';
    this.coreKey.setStored(str(view.api_key));
    this.assistList.replaceChildren();
    this.assistKeys.clear();
    for (const p of this.providers.assist) {
      const fieldName = ASSIST_KEY_FIELDS[p.key];
      if (!fieldName) continue;
      const key = new SecretField('settings.providers.assistKey', { provider: p.name });
      key.setStored(str(view[fieldName]));
      this.assistKeys.set(p.key, key);
      const test = new ConnectionTest(() => ({ scope: 'assist', provider: p.key, api_key: key.typed() }));
      const row = el('div', { class: 'provider-row', 'data-provider': p.key });
      row.append(el('h3', { class: 'provider-name' }, p.name), key.element, test.element);
      this.assistList.append(row);
    }
    this.customToggle.checked = view.enableCustomApi === true;
    this.rerankToggle.checked = view.memory_rerank === true;
    // Set by NEKO_MEMORY_RERANK at start: the switch shows it and cannot change it (saving leaves the file alone).
    this.rerankLocked = view.memory_rerank_env === true;
    this.rerankToggle.disabled = this.rerankLocked;
    this.rerankEnvHint.hidden = !this.rerankLocked;
    this.rerankToggle.setAttribute('aria-describedby', this.rerankLocked ? 'memory-rerank-env memory-rerank-hint' : 'memory-rerank-hint');
    for (const endpoint of this.roles.values()) endpoint.fill(view);
    this.ttsVoice.value = str(view.ttsVoiceId);
    this.sttLanguage.value = str(view.sttLanguage);
    this.mcpToken.setStored(str(view.mcpToken));
    this.renderChoices();
  }

  /** Descriptions follow the choices; the core key is only asked for where one is needed. */
  private renderChoices(): void {
    const core = this.providers.core.find((p) => p.key === this.coreSelect.value);
    const assist = this.providers.assist.find((p) => p.key === this.assistSelect.value);
    this.describe(this.coreDescription, core);
    this.describe(this.assistDescription, assist);
    this.coreKey.element.hidden = KEYLESS.has(this.coreSelect.value);
    for (const row of this.assistList.querySelectorAll<HTMLElement>('.provider-row')) {
      row.classList.toggle('is-chosen', row.dataset.provider === this.assistSelect.value);
    }
  }

  private describe(target: HTMLElement, p: ProviderInfo | undefined): void {
    if (p?.key === 'sim') setText(target, 'settings.providers.simDescription');
    else if (p?.key === 'local') setText(target, 'settings.providers.localDescription');
    else {
      delete target.dataset.i18nKey;
      target.textContent = p?.description ?? '';
    }
  }

  private coreTestRequest(): TestConnectionRequest {
    const provider = this.coreSelect.value;
    if (provider === 'local') return { scope: 'core', provider, base_url: this.roles.get('conversation')!.url.value.trim() || undefined };
    return { scope: 'core', provider, api_key: this.coreKey.typed() };
  }

  private showBanner(status: ConfigStatus): void {
    this.banner.replaceChildren();
    const demo = status.core.coreApi === 'sim' || status.core.coreKeyMissing;
    this.banner.dataset.kind = demo ? 'demo' : 'ok';
    const badge = textEl('span', demo ? 'settings.providers.demoBadge' : 'settings.providers.liveBadge', { class: `badge ${demo ? 'badge-demo' : 'badge-ok'}` });
    const name = this.providers.core.find((p) => p.key === status.core.coreApi)?.name ?? status.core.coreApi;
    const text =
      status.core.coreApi === 'sim'
        ? textEl('span', 'settings.providers.demoChosen')
        : demo
          ? textEl('span', 'settings.providers.demoNoKey', {}, { provider: name })
          : textEl('span', 'settings.providers.liveWith', {}, { provider: name });
    this.banner.append(badge, text);
  }

  private async scanLocal(): Promise<void> {
    this.localStatus.show('busy', 'settings.providers.scanning');
    try {
      const found = await get<LocalServersResult>('/api/config/local_servers');
      this.localList.replaceChildren(
        ...found.servers.map((s) => {
          const item = el('li', { class: 'local-server' });
          const name = s.name === 'configured' ? textEl('strong', 'settings.providers.configuredServer') : el('strong', {}, s.name);
          const use = button('settings.providers.useLocal');
          use.addEventListener('click', () => this.useLocal(s.base_url, s.models[0] ?? ''));
          item.append(name, el('code', {}, s.base_url), textEl('span', 'settings.providers.localModels', { class: 'muted' }, { models: s.models.slice(0, 5).join(', ') || '—' }), use);
          return item;
        }),
      );
      if (found.servers.length) this.localStatus.clear();
      else this.localStatus.show('info', 'settings.providers.noLocal', { checked: found.checked.map((c) => c.base_url).join(', ') });
    } catch (err) {
      this.localStatus.show('error', 'settings.common.loadFailed', { error: (err as Error).message });
    }
  }

  /** Fills the form to use a found local server for conversation (saved with the Save button). */
  private useLocal(baseUrl: string, model: string): void {
    this.coreSelect.value = 'local';
    this.assistSelect.value = 'local';
    this.customToggle.checked = true;
    const conversation = this.roles.get('conversation')!;
    conversation.url.value = baseUrl;
    if (model) conversation.model.value = model;
    this.renderChoices();
    this.saveStatus.show('info', 'settings.providers.localFilled');
  }

  private async save(): Promise<void> {
    const coreApi = this.coreSelect.value;
    const assistApi = this.assistSelect.value;
    const custom = this.customToggle.checked;
    if (!custom && !KEYLESS.has(coreApi) && !KEYLESS.has(assistApi) && !this.coreKey.hasKey()) {
      const name = this.providers.core.find((p) => p.key === coreApi)?.name ?? coreApi;
      this.saveStatus.show('error', 'settings.providers.keyNeeded', { provider: name });
      this.coreKey.input.focus();
      return;
    }
    const body: Record<string, unknown> = {
      coreApi,
      assistApi,
      coreApiKey: this.coreKey.value(),
      enableCustomApi: custom,
      ...(this.rerankLocked ? {} : { memory_rerank: this.rerankToggle.checked }),
      ttsVoiceId: this.ttsVoice.value.trim(),
      sttLanguage: this.sttLanguage.value.trim(),
      mcpToken: this.mcpToken.value(),
    };
    for (const [provider, key] of this.assistKeys) body[ASSIST_KEY_FIELDS[provider]!] = key.value();
    for (const endpoint of this.roles.values()) Object.assign(body, endpoint.body());
    this.saveButton.disabled = true;
    this.saveStatus.show('busy', 'settings.common.saving');
    try {
      await post('/api/config/core_api', body);
      await this.load();
      this.saveStatus.show('ok', 'settings.providers.saved');
    } catch (err) {
      this.saveStatus.show('error', 'settings.common.saveFailed', { error: (err as Error).message });
    } finally {
      this.saveButton.disabled = false;
    }
  }
}
