/**
 * Character (profile) names become file names (recent_<name>.json, <name>.sqlite) and URL segments,
 * so one validator serves main, memory and agent. It accepts what the original accepts for real users
 * (CJK, spaces, dashes) and refuses what can escape a folder or break a file system.
 */
export class NameError extends Error {
  constructor(message: string, readonly field = '档案名') {
    super(message);
  }
}

// Control characters, path separators, and characters Windows forbids in file names.
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f/\\<>:"|?*]/;

/** The original's length rule: ASCII counts 1, anything else 2, at most 20 units. */
export function nameUnits(name: string): number {
  let units = 0;
  for (const ch of name) units += ch.charCodeAt(0) < 128 ? 1 : 2;
  return units;
}

export const MAX_NAME_UNITS = 20;

/** Returns the trimmed name or throws a NameError with the original's message where it has one. */
export function validateCharacterName(raw: unknown, field = '档案名'): string {
  if (typeof raw !== 'string' || raw.trim() === '') throw new NameError(`${field}为必填项`, field);
  const name = raw.trim();
  if (/[/\\]/.test(name)) throw new NameError(`${field}不能包含路径分隔符(/或\\)`, field);
  if (FORBIDDEN.test(name)) throw new NameError(`${field}包含不允许的字符 (control characters or <>:"|?*)`, field);
  if (name === '.' || name.includes('..') || name.startsWith('.')) throw new NameError(`${field}不能以"."开头或包含".."`, field);
  if (nameUnits(name) > MAX_NAME_UNITS) {
    throw new NameError(`${field}长度不能超过${MAX_NAME_UNITS}单位（ASCII字符算1单位，其他字符算2单位）`, field);
  }
  return name;
}

export function isValidCharacterName(raw: unknown): raw is string {
  try {
    return validateCharacterName(raw) === raw;
  } catch {
    return false;
  }
}
