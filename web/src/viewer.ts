import { PcmPlayer } from './audio/player';
import { mouthFromLevel } from './audio/lip-sync';
import { resumeAudio } from './audio/context';
import { DefaultAvatar } from './avatar/default-avatar';
import type { Expression } from './avatar/avatar';
import { connectMonitor } from './monitor-socket';

/**
 * The monitor's viewer (`/{character}` on :48913): mirrors a character's conversation on a second screen —
 * avatar, reply text, voice. Read-only: it never sends anything.
 */
const character = decodeURIComponent(location.pathname.replace(/^\/+|\/+$/g, '')) || 'test';
const avatar = new DefaultAvatar(character);
const player = new PcmPlayer();
const caption = document.getElementById('caption')!;
const sound = document.getElementById('sound') as HTMLButtonElement;
const EXPRESSIONS: readonly Expression[] = ['neutral', 'happy', 'sad', 'angry', 'surprised'];
/** Mirrored audio has no speech ids; one id per reply, renewed when the user interrupts. */
let speech = 0;
let newReply = true;

document.title = `${character} — neko viewer`;
sound.addEventListener('click', () => {
  void resumeAudio();
  sound.hidden = true;
});

function onJson(message: Record<string, unknown>): void {
  switch (message.type) {
    case 'gemini_response':
      if (message.isNewMessage || newReply) caption.textContent = '';
      caption.textContent += String(message.text ?? '');
      newReply = false;
      break;
    case 'system':
      if (message.data === 'turn end') newReply = true;
      break;
    case 'user_activity':
      player.interrupt(String(speech));
      speech++;
      break;
    case 'response_discarded':
      // The reply was thrown away (length guard); a reroll may follow as a new reply.
      caption.textContent = '';
      newReply = true;
      player.interrupt(String(speech));
      speech++;
      break;
    case 'emotion':
      if (EXPRESSIONS.includes(message.emotion as Expression)) avatar.setExpression(message.emotion as Expression);
      break;
  }
}

connectMonitor(`/ws/${encodeURIComponent(character)}`, (data) => {
  if (typeof data === 'string') {
    try {
      onJson(JSON.parse(data) as Record<string, unknown>);
    } catch {
      // a frame we do not understand is ignored; the viewer is only a mirror
    }
    return;
  }
  player.enqueue(String(speech), data);
});

await avatar.mount(document.getElementById('avatar')!);
const animate = () => {
  avatar.setMouthOpen(mouthFromLevel(player.level()));
  requestAnimationFrame(animate);
};
requestAnimationFrame(animate);
(window as unknown as { __nekoViewer: unknown }).__nekoViewer = { player: player.stats, avatar: avatar.state, caption: () => caption.textContent };
