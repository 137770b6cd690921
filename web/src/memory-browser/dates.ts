import { currentLanguage, t } from '../i18n';

/** The local calendar day of an ISO time, `YYYY-MM-DD` (the history is grouped by it). */
export function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

/** "Today", "Yesterday", else the full date in the page's language. */
export function dayLabel(key: string, now = new Date()): string {
  const [y, m, d] = key.split('-').map(Number) as [number, number, number];
  const day = new Date(y, m - 1, d);
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate());
  const diff = Math.round((today.getTime() - day.getTime()) / 86_400_000);
  if (diff === 0) return t('memory.history.today');
  if (diff === 1) return t('memory.history.yesterday');
  return new Intl.DateTimeFormat(currentLanguage(), { weekday: 'long', year: 'numeric', month: 'long', day: 'numeric' }).format(day);
}

export function timeLabel(iso: string): string {
  return new Intl.DateTimeFormat(currentLanguage(), { hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

export function dateTimeLabel(iso: string): string {
  return new Intl.DateTimeFormat(currentLanguage(), { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
}

/** A date input's value (`YYYY-MM-DD`, local) as the ISO time its day starts or ends at; undefined when empty. */
export function dateInputBound(value: string, edge: 'start' | 'end'): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = edge === 'start' ? new Date(y, mo - 1, d, 0, 0, 0, 0) : new Date(y, mo - 1, d, 23, 59, 59, 999);
  return date.toISOString();
}
