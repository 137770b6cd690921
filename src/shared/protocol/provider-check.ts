import { z } from 'zod';
import { CUSTOM_MODEL_ROLES } from '../config/core-config.js';

/**
 * `POST /api/config/test_connection` (neko's own, used by the settings page): one cheap, real request to a
 * model provider with the key typed on the page or the stored one. The key is never part of the answer.
 *
 * - `core`: the realtime provider `provider` (its OpenAI-compatible REST side is asked, with the core key);
 * - `assist`: the text provider `provider` (its own key field, else the core key of the same provider);
 * - `custom`: the custom endpoint of `role` (`base_url`, else the stored `<role>ModelUrl`).
 * `base_url` is only taken for `custom` and for the `local` provider (which must be on this machine).
 */
export const TestConnectionRequestSchema = z
  .object({
    scope: z.enum(['core', 'assist', 'custom']),
    provider: z.string().min(1).max(40).optional(),
    role: z.enum(CUSTOM_MODEL_ROLES).optional(),
    base_url: z.string().max(2048).optional(),
    /** A key typed on the page; empty or the stored mask (`••••1234`) means "use the stored key". */
    api_key: z.string().max(4096).optional(),
  })
  .strict();
export type TestConnectionRequest = z.infer<typeof TestConnectionRequestSchema>;

/** Why a test failed, for the page to explain in its own words. */
export const TEST_FAILURES = ['BAD_KEY', 'NO_KEY', 'UNREACHABLE', 'TIMEOUT', 'NOT_OPENAI_COMPATIBLE', 'RATE_LIMITED', 'HTTP_ERROR'] as const;
export type TestFailure = (typeof TEST_FAILURES)[number];

export const TestConnectionResultSchema = z.object({
  success: z.boolean(),
  /** The address asked (origin and path only). */
  base_url: z.string().optional(),
  latency_ms: z.number().optional(),
  /** Model ids the provider listed (at most a page of them). */
  models: z.array(z.string()).optional(),
  /** The built-in offline demo: nothing was asked over the network. */
  offline: z.boolean().optional(),
  code: z.enum(TEST_FAILURES).optional(),
  /** HTTP status the provider answered, when it answered. */
  status: z.number().optional(),
  error: z.string().optional(),
});
export type TestConnectionResult = z.infer<typeof TestConnectionResultSchema>;

/** `GET /api/config/local_servers`: OpenAI-compatible servers answering on this machine's usual ports. */
export const LocalServersResultSchema = z.object({
  success: z.literal(true),
  servers: z.array(z.object({ name: z.string(), base_url: z.string(), models: z.array(z.string()) })),
  checked: z.array(z.object({ name: z.string(), base_url: z.string() })),
});
export type LocalServersResult = z.infer<typeof LocalServersResultSchema>;
