/** localStorage that never throws: with storage disabled (privacy modes) choices apply to this page only. */
export function storageGet(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function storageSet(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // not persisted
  }
}
