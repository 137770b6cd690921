import { connectMonitor } from './monitor-socket';

/**
 * The OBS subtitle overlay (`/subtitle` on :48913): the current reply in large text on a transparent page,
 * cleared when the next reply starts. `?lanlan_name=X` limits it to one character; `?lang=en` (or zh, ja, …)
 * shows the line translated once it stops changing.
 */
const line = document.getElementById('subtitle')!;
const params = new URLSearchParams(location.search);
const name = params.get('lanlan_name');
const targetLang = params.get('lang');
/** Translate once the text has been still this long: a reply streams in pieces, the overlay shows whole lines. */
const SETTLE_MS = 600;
let original = '';
let timer: ReturnType<typeof setTimeout> | undefined;

async function translate(text: string): Promise<void> {
  try {
    const res = await fetch('/api/translate', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text, target_lang: targetLang }) });
    const body = (await res.json()) as { translated_text?: string };
    if (original === text && body.translated_text) line.textContent = body.translated_text;
  } catch {
    // keep the original text when translation is unavailable
  }
}

function show(text: string): void {
  original = text;
  line.textContent = text;
  if (!targetLang || !text) return;
  clearTimeout(timer);
  timer = setTimeout(() => void translate(text), SETTLE_MS);
}

connectMonitor(`/subtitle_ws${name ? `?lanlan_name=${encodeURIComponent(name)}` : ''}`, (data) => {
  if (typeof data !== 'string') return;
  try {
    const message = JSON.parse(data) as { type?: string; text?: string };
    if (message.type === 'subtitle') show(message.text ?? '');
    else if (message.type === 'clear') show('');
  } catch {
    // ignore what we do not understand
  }
});
