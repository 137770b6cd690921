/** The character named by the page's path (`/{character}`), if any; `/` names none. */
export function characterFromPath(pathname = location.pathname): string | undefined {
  const segment = pathname.replace(/^\/+/, '').split('/')[0];
  if (!segment) return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined; // a malformed escape is not a character name
  }
}

/** Keeps the address in step with the character when the page was opened on `/{character}`. */
export function followCharacterInPath(name: string): void {
  if (characterFromPath() === undefined) return;
  history.replaceState(null, '', `/${encodeURIComponent(name)}`);
}
