import { Redis } from "ioredis";

/**
 * An ioredis connection as BullMQ workers need it (`maxRetriesPerRequest: null`: blocking commands
 * wait through reconnects instead of failing). The URL is never logged.
 */
export function createRedisConnection(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
  // Errors surface through commands; an unhandled 'error' event would only print the URL.
  redis.on("error", () => undefined);
  return redis;
}
