/**
 * A JWT's payload, read without verifying it. The run only uses it to learn about its own tokens: which client
 * they were issued to, and which scopes a narrow token holds (so a 403 is provoked only where it lacks the scope).
 */
export function tokenClaims(token: string): Record<string, unknown> | undefined {
  try {
    const payload = JSON.parse(Buffer.from(token.split(".")[1] ?? "", "base64url").toString("utf8")) as unknown;
    return typeof payload === "object" && payload !== null ? (payload as Record<string, unknown>) : undefined;
  } catch {
    return undefined; // not a JWT
  }
}
