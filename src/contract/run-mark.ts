/**
 * The mark that proves a resource was made by a contract run of this project, for the sweep of runs whose journal is
 * lost (`--cleanup --older-than`). A name is not proof: anyone allowed to rename an organization can give a
 * customer's one a run's name, and the sweep would delete it and its links. So each resource a run creates gets, in
 * its `metadata`, a MAC of its kind, its id (which the tenant assigns, so a mark cannot be moved to another
 * resource) and the run's id, keyed with a key derived from the run's client secret. A token without that secret
 * cannot forge one; the sweep deletes a resource found by name only when its mark verifies.
 *
 * Without client credentials (a run or sweep with a token only) there is no key: nothing is marked, and the sweep
 * lists what it found instead of deleting it.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { ResourceKind } from "./journal.js";

/** The metadata key of the mark (within the spec's metadata limits: a short key, a 43-character value). */
export const MARK_FIELD = "contract_test_mark";

/** Binds the key to its one use, so the MAC is never the client secret's MAC of anything else. */
const KEY_LABEL = "auth0-org-connections-toolkit contract run mark v1";

export class RunMarker {
  readonly #key: Buffer;

  private constructor(key: Buffer) {
    this.#key = key;
  }

  /** The marker of runs with these client credentials; undefined without a client secret. */
  static fromClientSecret(clientSecret: string | undefined): RunMarker | undefined {
    return clientSecret ? new RunMarker(createHmac("sha256", clientSecret).update(KEY_LABEL).digest()) : undefined;
  }

  #mac(kind: ResourceKind, id: string, runId: string): string {
    return createHmac("sha256", this.#key).update(`${kind}\n${id}\n${runId}`).digest("base64url");
  }

  /** The metadata that marks the resource as the run's. */
  metadata(kind: ResourceKind, id: string, runId: string): Record<string, string> {
    return { [MARK_FIELD]: this.#mac(kind, id, runId) };
  }

  /** Whether the resource's metadata carries this run's mark for exactly this resource. */
  verifies(kind: ResourceKind, id: string, runId: string, metadata: unknown): boolean {
    const sent = typeof metadata === "object" && metadata !== null ? (metadata as Record<string, unknown>)[MARK_FIELD] : undefined;
    if (typeof sent !== "string") return false;
    const expected = Buffer.from(this.#mac(kind, id, runId));
    const given = Buffer.from(sent);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
