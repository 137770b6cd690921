import { randomUUID } from 'node:crypto';
import type { ServiceName } from './ports.js';

/** One id per launch, shared by every service the launcher starts, so /health tells our process from a squatter. */
export const INSTANCE_ID = process.env.NEKO_INSTANCE_ID?.trim() || randomUUID().replace(/-/g, '');

export const APP_SIGNATURE = 'N.E.K.O';

export interface HealthBody {
  app: typeof APP_SIGNATURE;
  service: ServiceName;
  status: 'ok';
  instance_id: string;
  [extra: string]: unknown;
}

/** The spec's /health body; extra keys never override the four core keys. */
export function buildHealthBody(service: ServiceName, extra: Record<string, unknown> = {}): HealthBody {
  return { ...extra, app: APP_SIGNATURE, service, status: 'ok', instance_id: INSTANCE_ID };
}

export function isNekoHealth(body: unknown, service?: ServiceName): body is HealthBody {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as Record<string, unknown>;
  return b.app === APP_SIGNATURE && b.status === 'ok' && (service === undefined || b.service === service);
}
