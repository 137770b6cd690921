/**
 * `POST /api/config/set_proxy_mode` (rest.md §3.12): switches outbound requests between the system proxy and a
 * direct connection by editing the proxy variables of this process's environment. The first switch to direct
 * takes a snapshot; switching back restores it exactly.
 */
const PROXY_KEYS = ['HTTP_PROXY', 'HTTPS_PROXY', 'ALL_PROXY', 'http_proxy', 'https_proxy', 'all_proxy'];
const ALL_KEYS = [...PROXY_KEYS, 'NO_PROXY', 'no_proxy'];

export function parseDirectFlag(raw: unknown): boolean {
  if (typeof raw === 'boolean') return raw;
  if (typeof raw === 'string') return ['true', '1', 'yes'].includes(raw.toLowerCase());
  return Boolean(raw);
}

/** Proxy URLs as `<scheme>_proxy` variables give them (`{http:..., no:'*'}`), lower-case names winning. */
export function proxiesFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  const entries = Object.entries(env).filter(([k, v]) => v && k.toLowerCase().endsWith('_proxy'));
  for (const [k, v] of entries) if (k !== k.toLowerCase()) out[k.slice(0, -6).toLowerCase()] = v!;
  for (const [k, v] of entries) if (k === k.toLowerCase()) out[k.slice(0, -6)] = v!;
  return out;
}

/** Drops `user:password@` from proxy URLs before they are shown to a page. */
export function withoutCredentials(proxies: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [scheme, value] of Object.entries(proxies)) {
    try {
      const url = new URL(value);
      if (url.username || url.password) {
        url.username = '';
        url.password = '';
        out[scheme] = url.toString().replace(/\/$/, value.endsWith('/') ? '/' : '');
      } else {
        out[scheme] = value;
      }
    } catch {
      out[scheme] = value.includes('@') ? '<redacted>' : value;
    }
  }
  return out;
}

export class ProxyModeSwitch {
  private snapshot: Record<string, string> | undefined;

  constructor(private readonly env: NodeJS.ProcessEnv) {}

  set(direct: boolean): Record<string, string> {
    if (direct) {
      this.snapshot ??= Object.fromEntries(ALL_KEYS.filter((k) => this.env[k] !== undefined).map((k) => [k, this.env[k]!]));
      this.env.NO_PROXY = '*';
      this.env.no_proxy = '*';
      for (const k of PROXY_KEYS) delete this.env[k];
    } else if (this.snapshot) {
      for (const k of ALL_KEYS) {
        if (k in this.snapshot) this.env[k] = this.snapshot[k];
        else delete this.env[k];
      }
      this.snapshot = undefined;
    }
    return withoutCredentials(proxiesFromEnv(this.env));
  }
}
