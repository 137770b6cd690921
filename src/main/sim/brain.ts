/**
 * The offline demo's "mind": a handful of honest canned answers. It always says what it is (neko's
 * offline demo, no real model configured) and never pretends to understand more than it does.
 */

/** Phrases the demo recognises in speech (the recogniser's grammar) and answers specifically. */
export const KNOWN_PHRASES = [
  'hello', 'hello neko', 'hi', 'hi neko', 'what time is it', 'who are you', 'what is your name', 'how are you',
  'can you hear me', 'thank you', 'goodbye', 'tell me a joke', 'what can you do',
] as const;

export interface BrainInput {
  /** What the user said or typed; null when a reply was requested without a new user message. */
  heard: string | null;
  /** How the user's words arrived; a note such as "(2.4 s of speech)" when speech was not recognised. */
  via: 'text' | 'speech';
  /** Pictures received since the last reply. */
  newImages: number;
  now?: Date;
}

const DEMO_NOTE = "I'm neko's offline demo; a real model provider is not configured.";
/** Echoes stay short so the spoken reply does too. */
const MAX_ECHO_CHARS = 80;

function clock(now: Date): string {
  return now.toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit' });
}

function echo(text: string): string {
  return text.length > MAX_ECHO_CHARS ? `${text.slice(0, MAX_ECHO_CHARS - 1)}…` : text;
}

export function brainReply(input: BrainInput): string {
  const now = input.now ?? new Date();
  const pictures = input.newImages > 0 ? ` I received ${input.newImages === 1 ? 'a picture' : `${input.newImages} pictures`}, but I can't look at them.` : '';
  if (input.heard === null) return `Okay, noted.${pictures}`;
  const raw = input.heard.trim();
  if (/^\(.*\)$/.test(raw)) return `I heard you speak ${raw.slice(1, -1).replace(' of speech', '')}, but I could not make out the words. ${DEMO_NOTE}${pictures}`;
  const said = raw.toLowerCase().replace(/[^\p{L}\p{N}\s']/gu, ' ').replace(/\s+/g, ' ').trim();
  const has = (re: RegExp) => re.test(said);
  let answer: string;
  if (has(/\b(what time|the time)\b/)) answer = `It's ${clock(now)}.`;
  else if (has(/\b(who are you|your name)\b/)) answer = DEMO_NOTE + ' Configure a provider in the settings to talk to your character.';
  else if (has(/\b(can you hear me)\b/)) answer = `Yes, I can hear you. You said: ${echo(raw)}.`;
  else if (has(/\b(how are you)\b/)) answer = `I'm fine, thank you. ${DEMO_NOTE}`;
  else if (has(/\b(thank you|thanks)\b/)) answer = "You're welcome!";
  else if (has(/\b(goodbye|bye)\b/)) answer = 'Goodbye! See you soon.';
  else if (has(/\b(joke)\b/)) answer = 'Why did the cat sit on the computer? To keep an eye on the mouse.';
  else if (has(/\b(what can you do|help)\b/)) answer = 'I can greet you, tell the time and repeat what I heard. Configure a real provider for real conversations.';
  else if (has(/^(hello|hi|hey)\b/) || has(/^(你好|こんにちは)/)) answer = `Hello! ${DEMO_NOTE}`;
  else answer = `You ${input.via === 'speech' ? 'said' : 'wrote'}: ${echo(raw)}. ${DEMO_NOTE}`;
  return answer + pictures;
}
