import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ApiError } from '../../shared/errors.js';
import { FLAG_KEYS } from '../flags.js';
import { MAX_INSTRUCTION_CHARS } from '../planner.js';

/** `{lanlan_name?, <flag>?: bool}`; an unknown key is a 400 naming it, not silently ignored. */
export const FlagsBodySchema = z.strictObject({
  lanlan_name: z.string().max(200).optional(),
  ...Object.fromEntries(FLAG_KEYS.map((k) => [k, z.boolean().optional()])),
} as Record<string, z.ZodOptional<z.ZodBoolean> | z.ZodOptional<z.ZodString>>);

export const CommandBodySchema = z.discriminatedUnion('command', [
  z.looseObject({ command: z.literal('set_agent_enabled'), enabled: z.boolean(), request_id: z.string().optional() }),
  z.looseObject({ command: z.literal('set_flag'), key: z.enum(FLAG_KEYS), value: z.boolean(), request_id: z.string().optional() }),
  z.looseObject({ command: z.literal('refresh_state'), request_id: z.string().optional() }),
]);

export const RunBodySchema = z.looseObject({
  instruction: z.string().trim().min(1, 'instruction is empty').max(MAX_INSTRUCTION_CHARS, `instruction is longer than ${MAX_INSTRUCTION_CHARS} characters`),
  lanlan_name: z.string().max(200).optional(),
});

export const AdminBodySchema = z.looseObject({ action: z.enum(['end_all', 'enable_analyzer', 'disable_analyzer']) });

/** Parses a JSON body; a command the agent does not know is a 400 that says which ones it does. */
export function parseCommand(body: unknown): z.infer<typeof CommandBodySchema> {
  const command = (body as { command?: unknown } | undefined)?.command;
  if (typeof command !== 'string' || !['set_agent_enabled', 'set_flag', 'refresh_state'].includes(command)) {
    throw new ApiError(400, `unknown command ${JSON.stringify(command ?? null)}; expected set_agent_enabled, set_flag or refresh_state`, 'UNKNOWN_COMMAND');
  }
  return CommandBodySchema.parse(body);
}

/**
 * Computer and browser runs act on the user's machine: refuse anything a browser marks as coming from
 * another site, even origins NEKO_ALLOWED_ORIGINS lets change other state.
 */
export async function refuseCrossSite(req: FastifyRequest, reply: FastifyReply): Promise<void> {
  const site = req.headers['sec-fetch-site'];
  const origin = req.headers.origin;
  let foreign = typeof site === 'string' && site !== 'same-origin' && site !== 'none';
  if (origin !== undefined) {
    try {
      foreign ||= new URL(origin).host.toLowerCase() !== (req.headers.host ?? '').toLowerCase();
    } catch {
      foreign = true;
    }
  }
  if (foreign) await reply.code(403).send({ success: false, error: 'cross-site request refused for a task that acts on this computer', code: 'ORIGIN_NOT_ALLOWED' });
}
