/**
 * The fuzzers' way into the in-process emulator: one Management API call at a time, each answer held to the spec
 * (see test/helpers/response-checker.ts), each call bounded in time so a hang is a failure rather than a stuck run, and every call
 * counted.
 */
import type { Emulator } from "../../../src/emulator/index.js";
import { API_PREFIX, type ResponseChecker } from "../../helpers/response-checker.js";

export interface CallOptions {
  body?: unknown;
  query?: Record<string, string | number | boolean | Array<string | number | boolean>>;
  /** `null` sends no Authorization header; default: the full-scope token. */
  token?: string | null;
}

export interface ApiAnswer {
  status: number;
  // The parsed JSON body; tests read it freely.
  body: any;
  text: string;
}

const CALL_TIMEOUT_MS = 5_000;

export class CheckedApi {
  requests = 0;
  readonly statuses = new Map<number, number>();

  constructor(
    private readonly emulator: Emulator,
    private readonly token: string,
    private readonly checker: ResponseChecker,
  ) {}

  async call(method: string, path: string, options: CallOptions = {}): Promise<ApiAnswer> {
    const url = new URL(`http://${this.emulator.domain}${API_PREFIX}${path}`);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      for (const one of Array.isArray(value) ? value : [value]) url.searchParams.append(key, String(one));
    }
    const token = options.token === undefined ? this.token : options.token;
    const headers: Record<string, string> = token === null ? {} : { authorization: `Bearer ${token}` };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    this.requests += 1;
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${method} ${url.pathname} did not answer within ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
    });
    try {
      const response = await Promise.race([this.emulator.fetch(new Request(url, { method, headers, body })), hang]);
      const text = await Promise.race([response.text(), hang]);
      this.statuses.set(response.status, (this.statuses.get(response.status) ?? 0) + 1);
      const problems = this.checker.check(method, url.pathname, { status: response.status, headers: response.headers, body: text });
      if (problems.length > 0) throw new Error(problems.join("; "));
      return { status: response.status, body: text === "" ? undefined : (JSON.parse(text) as unknown), text };
    } finally {
      clearTimeout(timer);
    }
  }
}
