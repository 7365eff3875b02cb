/**
 * Auth0's payload limit: every Management API endpoint accepts a request body of at most 1 MB. The emulator answers
 * a larger body 400 `invalid_body`; the contract run's proxy refuses it before forwarding (a body the tenant would
 * refuse anyway must not be buffered first).
 */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
