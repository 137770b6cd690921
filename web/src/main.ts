import './style.css';
import { isOfflineDemo, loadCharacters, loadConfigStatus, type CharactersDocument } from './api';
import { mouthFromLevel } from './audio/lip-sync';
import { PcmPlayer } from './audio/player';
import { unlockAudioOnGesture } from './audio/context';
import { AvatarStage } from './avatar/avatar-stage';
import { AgentPanel } from './agent-panel';
import { ChatController } from './chat-controller';
import { showEarlierTurns } from './chat-history/earlier-turns';
import { installDebugHook } from './debug-hook';
import { EmotionFollower } from './emotion';
import { applyTranslations, initI18n, onLanguageChanged, t } from './i18n';
import { characterFromPath } from './route';
import { SessionState } from './session-state';
import { CharacterSwitcher } from './ui/character-switcher';
import { Composer } from './ui/composer';
import { byId } from './ui/dom';
import { mountLanguageSwitch } from './ui/language-switch';
import { MessageList } from './ui/message-list';
import { MicButton } from './ui/mic-button';
import { SessionBadge } from './ui/session-badge';
import { ThemeToggle } from './ui/theme';
import { ToggleButton } from './ui/toggle-button';
import { Toasts } from './ui/toasts';
import { sendBeaconOnClose } from './closing-beacon';

initI18n();
applyTranslations(document);
const theme = new ThemeToggle(byId<HTMLButtonElement>('theme-toggle'));
mountLanguageSwitch(byId<HTMLSelectElement>('language-select'));
unlockAudioOnGesture();

// The character first: nothing else is needed to show someone on screen.
const timings: { avatarVisibleMs?: number } = {};
// Which avatar (built-in, VRM or Live2D) is decided once the character is known, below.
const avatars = new AvatarStage(byId('avatar-stage'), byId('avatar-mount'));
avatars.onFirstVisible = () => (timings.avatarVisibleMs = Math.round(performance.now()));

const session = new SessionState();
const player = new PcmPlayer();
const toasts = new Toasts(byId('toasts'));
const messages = new MessageList(byId<HTMLOListElement>('messages'), byId('empty-hint'));
const badge = new SessionBadge(byId('session-badge'), byId('demo-badge'));
const switcher = new CharacterSwitcher(byId<HTMLSelectElement>('character-select'));
const micButton = new MicButton(byId<HTMLButtonElement>('mic-button'));
const screenButton = new ToggleButton(byId<HTMLButtonElement>('screen-button'), 'controls.screenStart', 'controls.screenStop');
const cameraButton = new ToggleButton(byId<HTMLButtonElement>('camera-button'), 'controls.cameraStart', 'controls.cameraStop');
const resetButton = byId<HTMLButtonElement>('reset-button');
const emotion = new EmotionFollower(() => avatars.current);
session.subscribe((view) => badge.show(view));

const doc: CharactersDocument | undefined = await loadCharacters().catch((err: Error) => {
  toasts.show(t('errors.charactersFailed', { error: err.message }), 'error');
  return undefined;
});
// `/{name}` wins over the saved current character; an unknown name is corrected by the server on connect.
const knownCharacters = Object.keys(doc?.猫娘 ?? {});
const character = characterFromPath() ?? doc?.当前猫娘 ?? knownCharacters[0] ?? '';
switcher.setCharacters(knownCharacters, character);

const showCharacter = (name: string) => {
  switcher.setCurrent(name);
  messages.setCharacterName(name);
  byId('character-name').textContent = name;
  document.title = `${name} · ${t('app.title')}`;
  updateAvatarLabel();
};

const controller = new ChatController(character, {
  session,
  player,
  messages,
  toasts,
  emotion,
  onCharacter: (name) => {
    showCharacter(name);
    void avatars.show(name);
    void showEarlierTurns(messages, name, knownCharacters);
  },
  onVoice: (on) => micButton.setOn(on),
  onScreen: (on) => screenButton.setOn(on),
  onCamera: (on) => cameraButton.setOn(on),
  onAgentMessage: (message) => agentPanel.handle(message),
});

let labelledExpression = '';
function updateAvatarLabel(): void {
  labelledExpression = avatars.current.state.expression;
  avatars.setLabel(t('avatar.label', { name: controller.character, expression: t(`avatar.expression.${labelledExpression}`) }));
}

showCharacter(character);
void avatars.show(character);
// Where the last conversation left off, from memory; nothing when memory is down or has nothing yet.
void showEarlierTurns(messages, character, knownCharacters);
micButton.setOn(false);
screenButton.setOn(false);
cameraButton.setOn(false);
micButton.onToggle(() => void controller.toggleVoice());
screenButton.onClick(() => void controller.toggleScreen());
cameraButton.onClick(() => void controller.toggleCamera());
// Phones and some browsers cannot share the screen at all: no button rather than one that always fails.
byId('screen-button').hidden = typeof navigator.mediaDevices?.getDisplayMedia !== 'function';
byId('camera-button').hidden = typeof navigator.mediaDevices?.getUserMedia !== 'function';
resetButton.addEventListener('click', () => controller.reset());
switcher.onChange((name) => void controller.switchCharacter(name));
new Composer(byId<HTMLFormElement>('composer'), byId<HTMLInputElement>('message-input')).onSubmit((text) => controller.sendText(text));

onLanguageChanged(() => {
  theme.apply();
  badge.refresh();
  micButton.refresh();
  screenButton.refresh();
  cameraButton.refresh();
  showCharacter(controller.character);
});

// One loop drives what follows the sound: the mouth from what is heard, the mic ring from what is said.
const followSound = () => {
  avatars.current.setMouthOpen(mouthFromLevel(player.level()));
  micButton.setLevel(controller.mic.level);
  if (avatars.current.state.expression !== labelledExpression) updateAvatarLabel();
  requestAnimationFrame(followSound);
};
requestAnimationFrame(followSound);

installDebugHook({ avatar: () => avatars.current, avatarInfo: () => avatars.info, player, controller, session, timings });
const agentPanel = new AgentPanel({ openButton: byId<HTMLButtonElement>('agent-button'), chip: byId<HTMLButtonElement>('agent-chip'), session, character: () => controller.character });
controller.start();

loadConfigStatus()
  .then((status) => session.update({ offlineDemo: isOfflineDemo(status) }))
  .catch(() => {
    // Older servers have no status route; the PROVIDER_NOTICE status still tells us about the demo.
  });

sendBeaconOnClose();
