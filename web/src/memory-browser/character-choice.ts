/** `?character=` (or the original's `?lanlan_name=`) names the character the page opens on. */
export function characterFromQuery(search = location.search): string | undefined {
  const params = new URLSearchParams(search);
  const name = params.get('character') ?? params.get('lanlan_name');
  return name?.trim() || undefined;
}

/** Keeps the address in step with the chosen character, so a reload or a shared link opens the same one. */
export function rememberCharacterInQuery(name: string): void {
  const url = new URL(location.href);
  url.searchParams.delete('lanlan_name');
  url.searchParams.set('character', name);
  history.replaceState(null, '', url);
}
