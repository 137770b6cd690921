/**
 * The key two requests share when they ask for the same thing: Unicode-normalised, case-folded, with
 * punctuation and spacing removed ("Open the calculator!" ≡ "open the calculator"). Tool calls add their
 * tool name and canonical arguments so the same tool with other arguments is a different task.
 */
export function instructionKey(kind: string, instruction: string, args?: Record<string, unknown>): string {
  const text = instruction.normalize('NFKC').toLowerCase().replace(/[\p{P}\p{S}\s]+/gu, ' ').trim();
  return args ? `${kind}:${text}:${canonicalJson(args)}` : `${kind}:${text}`;
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
