/** The Prism mock for a test file: started through `startMock()` before its tests, stopped (and killed by PID if need be) after them. */
import { afterAll, beforeAll } from "vitest";
import { type RunningMock, startMock } from "../../src/mock/prism.js";
import { freePort, killIfAlive } from "./command.js";

export function mockForTests(): () => RunningMock {
  let mock: RunningMock | undefined;
  beforeAll(async () => {
    mock = await startMock({ port: await freePort() });
  });
  afterAll(async () => {
    await mock?.stop();
    killIfAlive(mock?.pid);
  });
  return () => {
    if (!mock) throw new Error("the mock is not running");
    return mock;
  };
}
