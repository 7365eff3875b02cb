/**
 * The run's first call on a target: one request with the run's token, whose failure is turned into one clear
 * sentence — the server cannot be reached, it rejected (or outlived) the token, or the Management API is not at
 * that path.
 */
import { API_BASE_PATH } from "../../generated/spec-facts.js";
import type { ManagementAddress } from "../shared/management-address.js";
import { ContractTargetError, ContractUsageError } from "./errors.js";
import type { ApiClient } from "./fixtures.js";
import { expiredTokenMessage, type RunTokens } from "./run-tokens.js";

/**
 * The most telling reason of a network failure: the system's code (`ECONNREFUSED`) wherever it sits in the chain of
 * causes (the client wraps fetch's "fetch failed", which wraps the socket's error), else the innermost message.
 */
function networkReason(error: unknown): string {
  let message = error instanceof Error ? error.message : String(error);
  for (let current: unknown = error, depth = 0; current && depth < 5; current = (current as { cause?: unknown }).cause, depth += 1) {
    const { code, message: text } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && /^E[A-Z]+$/.test(code)) return code;
    if (typeof text === "string" && text) message = text;
  }
  return message;
}

/** Calls the API once with the token and turns "unreachable", "token rejected" and "wrong path" into one clear sentence. */
export async function probe(api: ApiClient, address: ManagementAddress, tokens: RunTokens): Promise<void> {
  const { baseUrl } = address;
  let response: Response;
  let body: { message?: unknown } | undefined;
  try {
    ({ response, error: body } = (await api.GET("/organizations/{id}", { params: { path: { id: "org_contracttestprobe0" } } })) as {
      response: Response;
      error?: { message?: unknown };
    });
  } catch (error) {
    if (error instanceof ContractTargetError) throw error;
    throw new ContractTargetError(`cannot reach ${baseUrl} (${networkReason(error)})`);
  }
  if (response.status === 401) {
    const { expiresAt } = tokens;
    if (expiresAt !== undefined && expiresAt <= Date.now()) throw new ContractTargetError(expiredTokenMessage(expiresAt));
    throw new ContractTargetError(`${baseUrl} rejected the token (401); check AUTH0_TOKEN (or --token-file) or the client credentials`);
  }
  // A missing organization is the expected answer; any other 404 means the API is not at this path.
  if (response.status === 404 && !/organization/i.test(typeof body?.message === "string" ? body.message : "")) {
    const hint = address.basePath.endsWith(API_BASE_PATH) ? "" : ` — did you mean ${baseUrl}${API_BASE_PATH}?`;
    throw new ContractUsageError(`${baseUrl} answered 404 for an API path: the Management API is not there${hint}`);
  }
}
