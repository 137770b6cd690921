import type { TimeRange } from '../store/memory-db.js';

/**
 * Time words in a question ("yesterday", "last week", "in May", 昨天, 上周, 五月) become a time range, and are
 * removed from the text that goes to full-text search. Ranges are in local time, relative to `now`.
 */
function startOfDay(t: Date): Date {
  return new Date(t.getFullYear(), t.getMonth(), t.getDate());
}

function addDays(t: Date, days: number): Date {
  return new Date(t.getFullYear(), t.getMonth(), t.getDate() + days);
}

function dayRange(day: Date): TimeRange {
  return { from: day.getTime(), to: addDays(day, 1).getTime() - 1 };
}

/** Monday-based week start. */
function startOfWeek(t: Date): Date {
  const day = startOfDay(t);
  return addDays(day, -((day.getDay() + 6) % 7));
}

function monthRange(year: number, month: number): TimeRange {
  return { from: new Date(year, month, 1).getTime(), to: new Date(year, month + 1, 1).getTime() - 1 };
}

/** The most recent month `month` (0-11) that is not in the future. */
function pastMonth(now: Date, month: number): TimeRange {
  const year = month > now.getMonth() ? now.getFullYear() - 1 : now.getFullYear();
  return monthRange(year, month);
}

/** The most recent weekday `weekday` (0 = Sunday) strictly before today. */
function pastWeekday(now: Date, weekday: number): TimeRange {
  const today = startOfDay(now);
  let back = (today.getDay() - weekday + 7) % 7;
  if (back === 0) back = 7;
  return dayRange(addDays(today, -back));
}

const MONTHS_EN = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const WEEKDAYS_EN = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
const CN_NUMBERS: Record<string, number> = { 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9, 十: 10, 十一: 11, 十二: 12 };
const CN_WEEKDAY: Record<string, number> = { 日: 0, 天: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6 };

function cnNumber(s: string): number {
  return /^\d+$/.test(s) ? Number(s) : (CN_NUMBERS[s] ?? NaN);
}

type Rule = [RegExp, (m: RegExpExecArray, now: Date) => TimeRange | undefined];

const RULES: Rule[] = [
  [/\b(?:the )?day before yesterday\b|前天|一昨日/i, (_m, now) => dayRange(addDays(startOfDay(now), -2))],
  [/\byesterday\b|\blast night\b|昨天|昨晚|昨日|昨夜/i, (_m, now) => dayRange(addDays(startOfDay(now), -1))],
  [/\btoday\b|\bthis (?:morning|afternoon|evening)\b|\btonight\b|今天|今日|今晚|今早/i, (_m, now) => dayRange(startOfDay(now))],
  [/\b(\d+|a|one|two|three|four|five|six|seven) days? ago\b/i, (m, now) => {
    const n = { a: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7 }[m[1]!.toLowerCase()] ?? Number(m[1]);
    return dayRange(addDays(startOfDay(now), -n));
  }],
  [/(\d+|[一二两三四五六七八九十]+)\s*天(?:前|以前)|(\d+)日前/, (m, now) => dayRange(addDays(startOfDay(now), -cnNumber(m[1] ?? m[2]!)))],
  [/\blast week\b|\ba week ago\b|上周|上个?星期|上个?礼拜|先週/i, (_m, now) => {
    const start = addDays(startOfWeek(now), -7);
    return { from: start.getTime(), to: startOfWeek(now).getTime() - 1 };
  }],
  [/\bthis week\b|这周|本周|这个?星期|今週/i, (_m, now) => ({ from: startOfWeek(now).getTime(), to: now.getTime() })],
  [/\b(\d+|two|three|four) weeks ago\b|(\d+|[两二三四])\s*(?:周|个星期)(?:前|以前)/i, (m, now) => {
    const n = { two: 2, three: 3, four: 4 }[(m[1] ?? '').toLowerCase()] ?? cnNumber(m[1] ?? m[2]!);
    const start = addDays(startOfWeek(now), -7 * n);
    return { from: start.getTime(), to: addDays(start, 7).getTime() - 1 };
  }],
  [/\blast month\b|上个?月|先月/i, (_m, now) => monthRange(now.getFullYear(), now.getMonth() - 1)],
  [/\bthis month\b|这个月|本月|今月/i, (_m, now) => monthRange(now.getFullYear(), now.getMonth())],
  [/\blast year\b|去年|昨年/i, (_m, now) => ({ from: new Date(now.getFullYear() - 1, 0, 1).getTime(), to: new Date(now.getFullYear(), 0, 1).getTime() - 1 })],
  // "may" alone is usually the verb, so that month needs a preposition.
  [new RegExp(`\\b(?:(?:in|during|back in|last)\\s+(may)|(?:(?:in|during|back in|on|last)\\s+)?(${MONTHS_EN.filter((m) => m !== 'may').join('|')}))\\b`, 'i'), (m, now) =>
    pastMonth(now, MONTHS_EN.indexOf((m[1] ?? m[2]!).toLowerCase()))],
  [/(\d{1,2}|十[一二]?|[一二三四五六七八九])\s*月份?(?![\d一二三四五六七八九十]*[日号])/, (m, now) => {
    const month = cnNumber(m[1]!);
    return month >= 1 && month <= 12 ? pastMonth(now, month - 1) : undefined;
  }],
  [new RegExp(`\\b(?:on|last)\\s+(${WEEKDAYS_EN.join('|')})\\b`, 'i'), (m, now) => pastWeekday(now, WEEKDAYS_EN.indexOf(m[1]!.toLowerCase()))],
  [/(?:上?周|星期|礼拜)([一二三四五六日天])/, (m, now) => pastWeekday(now, CN_WEEKDAY[m[1]!]!)],
];

export interface TimeFilter {
  range?: TimeRange;
  /** The query without the time words. */
  rest: string;
}

/** The first time expression found in `query` (if any) as a range, and the query without it. */
export function parseTimeFilter(query: string, now: Date = new Date()): TimeFilter {
  for (const [pattern, toRange] of RULES) {
    const m = pattern.exec(query);
    if (!m) continue;
    const range = toRange(m, now);
    if (!range) continue;
    return { range, rest: `${query.slice(0, m.index)} ${query.slice(m.index + m[0].length)}`.replace(/\s+/g, ' ').trim() };
  }
  return { rest: query };
}
