/** Small typed helpers over main's REST API (the same routes the original page uses). */
export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`${path} answered ${res.status}`);
  return (await res.json()) as T;
}

export async function postJson<T>(path: string, body: unknown): Promise<T> {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const data = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(data.error ?? `${path} answered ${res.status}`);
  return data;
}

export type CharactersDocument = {
  主人: Record<string, unknown>;
  猫娘: Record<string, Record<string, unknown>>;
  当前猫娘?: string;
};

export type ConfigStatus = {
  success: boolean;
  problems: { file: string; error: string; quarantinedAs?: string }[];
  core: { coreApi: string; assistApi: string; coreKeyMissing: boolean };
};
