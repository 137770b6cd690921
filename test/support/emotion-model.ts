import { startChatModelServer, type ChatModelServer } from './chat-model-server.js';

const LABELS = ['happy', 'sad', 'angry', 'surprised', 'neutral'];

/**
 * A local OpenAI-compatible emotion model: when the system prompt asks for the JSON object with the five
 * labels, it answers `{"emotion": decide(text), "confidence": …}`; a prompt that does not ask for that
 * gets prose back, so a broken prompt shows up as a fallback in the tests.
 */
export async function startEmotionModel(decide: (text: string) => { emotion: string; confidence: number }, opts: { delayMs?: number } = {}): Promise<ChatModelServer> {
  return startChatModelServer((req) => {
    const system = req.messages.find((m) => m.role === 'system')?.content ?? '';
    const user = req.messages.filter((m) => m.role === 'user').pop()?.content ?? '';
    const asksForJson = /json/i.test(system) && LABELS.every((l) => system.includes(`"${l}"`)) && system.includes('confidence');
    if (!asksForJson) return { content: 'I think the user feels fine.', delayMs: opts.delayMs };
    return { content: `\`\`\`json\n${JSON.stringify(decide(user))}\n\`\`\``, delayMs: opts.delayMs };
  });
}
