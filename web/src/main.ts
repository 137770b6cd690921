import { getJson, postJson, type CharactersDocument, type ConfigStatus } from './api';

const HIDDEN_FIELDS = new Set(['_reserved', 'system_prompt', 'voice_id', 'model_type', 'live2d', 'vrm', 'live2d_item_id', 'vrm_animation', 'idleAnimation', 'lighting']);

function el<K extends keyof HTMLElementTagNameMap>(tag: K, text?: string, attrs: Record<string, string> = {}): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

/** The character in the path (`/{name}`) wins over the saved current character. */
function characterFromPath(): string | undefined {
  const segment = decodeURIComponent(location.pathname.replace(/^\/+|\/+$/g, ''));
  return segment && !segment.includes('/') ? segment : undefined;
}

async function renderCharacters(): Promise<void> {
  const doc = await getJson<CharactersDocument>('/api/characters/');
  const current = characterFromPath() ?? doc.当前猫娘 ?? Object.keys(doc.猫娘)[0] ?? '';
  const card = doc.猫娘[current];
  const section = document.getElementById('character')!;
  document.getElementById('character-name')!.textContent = card ? current : `Unknown character "${current}"`;
  section.dataset.state = card ? 'ready' : 'unknown';
  const fields = document.getElementById('character-fields')!;
  fields.replaceChildren();
  for (const [key, value] of Object.entries(card ?? {})) {
    if (HIDDEN_FIELDS.has(key) || typeof value === 'object') continue;
    fields.append(el('dt', key), el('dd', String(value)));
  }
  const list = document.getElementById('character-list')!;
  list.replaceChildren(
    ...Object.keys(doc.猫娘).map((name) => {
      const button = el('button', name, { 'aria-pressed': String(name === doc.当前猫娘) });
      button.addEventListener('click', async () => {
        await postJson('/api/characters/current_catgirl', { catgirl_name: name });
        history.replaceState(null, '', '/');
        await renderCharacters();
      });
      return el('li').appendChild(button).parentElement!;
    }),
  );
}

async function renderServices(): Promise<void> {
  const list = document.getElementById('services')!;
  const main = await getJson<{ status: string }>('/health').then(() => true, () => false);
  const items = [el('li', `main ${main ? 'running' : 'down'}`, { class: main ? 'ok' : 'down' })];
  list.replaceChildren(...items);
  const status = await getJson<ConfigStatus>('/api/config/status').catch(() => undefined);
  if (!status) return;
  items.push(el('li', `model provider: ${status.core.coreApi}${status.core.coreKeyMissing ? ' (no API key: offline demo)' : ''}`));
  list.replaceChildren(...items);
  const problems = document.getElementById('config-problems')!;
  problems.hidden = status.problems.length === 0;
  problems.textContent = status.problems.map((p) => `${p.file}: ${p.error}${p.quarantinedAs ? ` (kept as ${p.quarantinedAs})` : ''}`).join('\n');
}

await Promise.all([renderCharacters(), renderServices()]);
