/**
 * A Prism mock of the toolkit's spec, on loopback: answers every operation with the spec's examples (the one a
 * request asks for with `Prefer: code=… / example=…`) after validating the request against the spec.
 *
 *   const mock = await startMock({ port: 4010 });   // http://127.0.0.1:4010/organizations/…
 *   await mock.stop();
 */
export { DEFAULT_MOCK_PORT, DEFAULT_MOCK_SPEC, MOCK_HOST, prepareSpecForPrism, startMock } from "./prism.js";
export type { MockOptions, RunningMock } from "./prism.js";
