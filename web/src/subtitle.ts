import { connectMonitor } from './monitor-socket';

/**
 * The OBS subtitle overlay (`/subtitle` on :48913): the current reply in large text on a transparent page,
 * cleared when the next reply starts. `?lanlan_name=X` limits it to one character.
 */
const line = document.getElementById('subtitle')!;
const name = new URLSearchParams(location.search).get('lanlan_name');
connectMonitor(`/subtitle_ws${name ? `?lanlan_name=${encodeURIComponent(name)}` : ''}`, (data) => {
  if (typeof data !== 'string') return;
  try {
    const message = JSON.parse(data) as { type?: string; text?: string };
    if (message.type === 'subtitle') line.textContent = message.text ?? '';
    else if (message.type === 'clear') line.textContent = '';
  } catch {
    // ignore what we do not understand
  }
});
