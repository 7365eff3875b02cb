/**
 * A seeded emulator tenant for the official-SDK tests, the client credentials the SDKs log in with, and the two
 * ways an SDK reaches the emulator: in-process (`fetch: emulator.fetch`) and over HTTP (a real port and a
 * `fetch` that rewrites the SDK's `https://{domain}` origin).
 */
import { afterAll, beforeAll } from "vitest";
import { createEmulator, type Emulator } from "../../src/emulator/emulator.js";
import { startEmulator } from "../../src/emulator/server.js";
import type { SeedData } from "../../src/emulator/types.js";
import { originRewritingFetch } from "../helpers/official-sdk.js";

export const SDK_CLIENT = { clientId: "sdk-test-client", clientSecret: "sdk-test-secret-0123456789" };
/** A client whose tokens may only read connections (for the 403 cases). */
export const NARROW_CLIENT = { clientId: "sdk-narrow-client", clientSecret: "sdk-narrow-secret-0123456789" };

export const SEED: SeedData = {
  clients: [
    { client_id: SDK_CLIENT.clientId, client_secret: SDK_CLIENT.clientSecret },
    { client_id: NARROW_CLIENT.clientId, client_secret: NARROW_CLIENT.clientSecret, scopes: ["read:connections"] },
    { client_id: "app-one" },
    { client_id: "app-two" },
  ],
};

export interface Target {
  emulator: Emulator;
  /** What to pass as the SDK's `fetch` option. */
  fetch: typeof fetch;
  close(): Promise<void>;
}

export const TARGETS: Array<[string, () => Promise<Target>]> = [
  [
    "in-process (fetch: emulator.fetch)",
    async () => {
      const emulator = createEmulator({ seed: SEED });
      return { emulator, fetch: emulator.fetch, close: async () => {} };
    },
  ],
  [
    "over HTTP (startEmulator on port 0, origin-rewriting fetch)",
    async () => {
      const running = await startEmulator({ port: 0, seed: SEED });
      return { emulator: running, fetch: originRewritingFetch(running.url), close: () => running.close() };
    },
  ],
];

/** The error a call fails with (the test fails if it succeeds). */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

export interface Credentials {
  clientId: string;
  clientSecret: string;
}

/**
 * Starts `makeTarget` before the suite's tests and stops it after them; `client(credentials?)` builds an SDK
 * client for it with `makeClient` (the full-scope credentials unless told otherwise).
 */
export function sdkAgainst<C>(makeTarget: () => Promise<Target>, makeClient: (target: Target, credentials: Credentials) => C) {
  let target: Target | undefined;
  let client: C | undefined;
  beforeAll(async () => {
    target = await makeTarget();
    client = makeClient(target, SDK_CLIENT);
  });
  afterAll(() => target?.close());
  const started = () => {
    if (!target || client === undefined) throw new Error("the target is not started");
    return { target, client };
  };
  return {
    target: () => started().target,
    client: (credentials?: Credentials) => (credentials ? makeClient(started().target, credentials) : started().client),
  };
}
