/** Turns a service's JSON log line into one readable, prefixed line for the launcher's terminal. */
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const HIDDEN = new Set(['level', 'time', 'service', 'name', 'msg', 'pid', 'hostname']);

function short(value: unknown): string {
  if (typeof value === 'string') return /\s/.test(value) ? JSON.stringify(value) : value;
  if (value && typeof value === 'object' && 'message' in value) return JSON.stringify((value as { message: unknown }).message);
  return JSON.stringify(value);
}

export function formatLogLine(service: string, line: string, width = 7): string {
  const prefix = `[${service}]`.padEnd(width + 2);
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
    if (typeof entry !== 'object' || entry === null) throw new Error('not an object');
  } catch {
    return `${prefix} ${line}`;
  }
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const level = LEVELS[Number(entry.level)] ?? 'INFO ';
  const extras = Object.entries(entry)
    .filter(([k]) => !HIDDEN.has(k))
    .map(([k, v]) => `${k}=${short(v)}`)
    .join(' ');
  return `${prefix} ${time} ${level} ${String(entry.msg ?? '')}${extras ? `  ${extras}` : ''}`;
}
