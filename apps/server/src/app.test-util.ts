import { createMemoryStores, nodeCrypto } from '@trieste/adapters';
import {
  type Clock,
  type IssuanceContext,
  type LogContext,
  publishCheckpoint,
  type Stores,
} from '@trieste/core';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { buildApp } from './app.js';
import { createApiKey } from './http/api-keys.js';

export const ISSUER = 'https://id.example.test';
export const ORIGIN = 'id.example.test/log';

export interface TestApp {
  app: FastifyInstance;
  stores: Stores;
  issuance: IssuanceContext;
  log: LogContext;
  /** The frozen time (NumericDate seconds); tests move it. */
  clock: Clock & { set(seconds: number): void };
  /** Keys with these roles (admin, registrar) and one with none of ours. */
  keys: { admin: string; registrar: string; other: string };
}

/** An app over in-memory stores with an issuer key, a first checkpoint and one API key per role. */
export async function testApp(
  options: {
    rateLimit?: { max: number; timeWindowMs: number };
    logger?: Logger;
    ready?: () => Promise<void>;
  } = {},
): Promise<TestApp> {
  let now = 1_780_000_000;
  const clock = {
    now: () => now,
    set: (seconds: number) => {
      now = seconds;
    },
  };
  const crypto = nodeCrypto();
  const stores = createMemoryStores({ clock });
  await stores.keys.create('ES256', { activate: true });
  const issuance: IssuanceContext = {
    stores,
    crypto,
    clock,
    issuer: ISSUER,
    statusBaseUri: `${ISSUER}/status`,
  };
  const log: LogContext = { stores, crypto, clock, origin: ORIGIN };
  await publishCheckpoint(log);
  const keys = {
    admin: (await createApiKey(stores.apiKeys, clock, { name: 'admin', roles: ['admin'] })).key,
    registrar: (await createApiKey(stores.apiKeys, clock, { name: 'registrar', roles: ['registrar'] })).key,
    other: (await createApiKey(stores.apiKeys, clock, { name: 'nobody', roles: [] })).key,
  };
  const app = await buildApp({
    issuance,
    log,
    clock,
    ready: options.ready ?? (async () => {}),
    rateLimit: options.rateLimit ?? { max: 1000, timeWindowMs: 60_000 },
    ...(options.logger ? { logger: options.logger } : {}),
  });
  return { app, stores, issuance, log, clock, keys };
}

export const bearer = (key: string) => ({ authorization: `Bearer ${key}` });
