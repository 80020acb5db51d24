import { Redis } from "ioredis";
import { UserInputError } from "../../core/errors.js";

/**
 * An ioredis connection as BullMQ workers need it (`maxRetriesPerRequest: null`: blocking commands
 * wait through reconnects instead of failing). The URL is never logged; one that is not a
 * `redis://` or `rediss://` URL is refused without echoing it (it may hold a password).
 */
export function createRedisConnection(url: string): Redis {
  let protocol: string | undefined;
  try {
    protocol = new URL(url).protocol;
  } catch {
    protocol = undefined;
  }
  if (protocol !== "redis:" && protocol !== "rediss:")
    throw new UserInputError("REDIS_URL: not a redis:// or rediss:// URL (e.g. redis://127.0.0.1:6379)");
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  // Errors surface through commands; an unhandled 'error' event would only print the URL.
  redis.on("error", () => undefined);
  return redis;
}
