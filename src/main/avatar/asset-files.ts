import { existsSync, realpathSync, statSync } from 'node:fs';
import { join, relative, isAbsolute, sep } from 'node:path';

/**
 * Path checks for avatar files named by stored config or by a request: only plain relative paths, resolved
 * (symlinks included) inside the folder they belong to.
 */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** `a/b.model3.json` yes; `../x`, `/x`, `a\\b`, `C:x`, empty segments no. */
export function isPlainRelativePath(p: string): boolean {
  if (!p || p.startsWith('/') || p.includes('\\') || CONTROL.test(p) || /^[a-z]:/i.test(p)) return false;
  return p.split('/').every((seg) => seg !== '' && seg !== '.' && seg !== '..');
}

export function isInside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return rel === '' || (!rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel));
}

/** The real path of `root/rel` when it exists as a file and stays inside root's real path; else undefined. */
export function existingFileInside(root: string, rel: string): string | undefined {
  if (!isPlainRelativePath(rel)) return undefined;
  const candidate = join(root, ...rel.split('/'));
  if (!existsSync(candidate)) return undefined;
  try {
    const real = realpathSync(candidate);
    if (!isInside(realpathSync(root), real) || !statSync(real).isFile()) return undefined;
    return real;
  } catch {
    return undefined;
  }
}

/** `/user_live2d/` + each segment percent-encoded (spaces, CJK, `#` survive as URLs). */
export function encodeUrlPath(rel: string): string {
  return rel.split('/').map(encodeURIComponent).join('/');
}
