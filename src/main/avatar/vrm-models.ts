import { basename } from 'node:path';
import { existingFileInside } from './asset-files.js';

export interface VrmDirs {
  /** User VRM folder, served at /user_vrm/. */
  user: string;
  /** Bundled VRM folder, served at /static/vrm/. */
  bundled: string;
}

/**
 * The URL a page loads for a character's VRM path (rest.md §3.2): remote URLs as they are, our mounts only when
 * the file exists, other absolute URLs trusted, bare file names looked up bundled-first. "" = use the default.
 */
export function resolveVrmPagePath(stored: string, dirs: VrmDirs): string {
  const value = stored.trim();
  if (!value) return '';
  if (/^https?:\/\//i.test(value)) return value;
  const under = (prefix: string, dir: string) => (existingFileInside(dir, decodeURIComponent(value.slice(prefix.length))) ? value : '');
  try {
    if (value.startsWith('/user_vrm/')) return under('/user_vrm/', dirs.user);
    if (value.startsWith('/static/vrm/')) return under('/static/vrm/', dirs.bundled);
  } catch {
    return ''; // malformed percent-encoding
  }
  // `//host/x` and `/\host/x` are remote URLs to a browser, not paths on this server.
  if (value.startsWith('//') || value.includes('\\')) return '';
  if (value.startsWith('/')) return value;
  const file = basename(value);
  if (existingFileInside(dirs.bundled, file)) return `/static/vrm/${encodeURIComponent(file)}`;
  if (existingFileInside(dirs.user, file)) return `/user_vrm/${encodeURIComponent(file)}`;
  return '';
}
