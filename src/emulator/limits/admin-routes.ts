/**
 * The admin API's rate-limit routes (admin.ts checks access first):
 *
 *   GET  /__emulator/limits   every bucket as it stands: burst, rate, requests left, when it is full again
 *   POST /__emulator/limits   new limits: `{"preset": "free"}` or a shape (tenant, groups, headers); every bucket full
 *   GET  /__emulator/clock    the clock the limits run on: `{ now, offsetMs }`
 *   POST /__emulator/clock    `{"advanceMs": 60000}` moves it forward (buckets refill as if the time had passed)
 */
import type { EmulatorControls } from "../controls.js";
import type { PlainReply, PlainRequest } from "../plain.js";
import { jsonReply } from "../responses.js";
import type { LimitsOption } from "./limiter.js";
import { invalidBody } from "../errors.js";

type AdminHandler = (request: PlainRequest) => PlainReply | Promise<PlainReply>;
type ReadObject = (request: PlainRequest) => Promise<Record<string, unknown>>;

const clockState = (controls: EmulatorControls) => ({ now: new Date(controls.clock.now()).toISOString(), offsetMs: controls.clock.offsetMs });

export function limitRoutes(controls: EmulatorControls, readObject: ReadObject): Array<[string, string, AdminHandler]> {
  return [
    ["GET", "/limits", () => jsonReply(200, controls.limits.state())],
    [
      "POST",
      "/limits",
      async (request) => {
        const body = await readObject(request);
        const option: LimitsOption = typeof body.preset === "string" && Object.keys(body).length === 1 ? (body.preset as LimitsOption) : body;
        return jsonReply(200, controls.limits.set(option));
      },
    ],
    ["GET", "/clock", () => jsonReply(200, clockState(controls))],
    [
      "POST",
      "/clock",
      async (request) => {
        const { advanceMs, ...rest } = await readObject(request);
        if (Object.keys(rest).length > 0) throw invalidBody(`Unknown clock setting: ${Object.keys(rest).join(", ")} (only advanceMs)`);
        if (!(typeof advanceMs === "number" && Number.isFinite(advanceMs) && advanceMs >= 0 && advanceMs <= 366 * 86_400_000)) {
          throw invalidBody("advanceMs must be a number of milliseconds from 0 to a year: the clock moves forward only");
        }
        controls.clock.advance(advanceMs);
        return jsonReply(200, clockState(controls));
      },
    ],
  ];
}
