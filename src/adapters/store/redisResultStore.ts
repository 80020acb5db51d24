/**
 * The distributed store: newest results and alert book as JSON under `<prefix>:results` and
 * `<prefix>:alert-book`. A Lua compare-and-set keeps a slow worker from overwriting newer results.
 */
import type { Redis } from "ioredis";
import type { AlertBookState } from "../../core/alerts/alertBook.js";
import type { MonitorResults } from "./monitorResults.js";
import type { ResultStore } from "./resultStore.js";

const PUT_IF_NEWER = `
local current = redis.call('HGET', KEYS[1], 'version')
if current and tonumber(current) >= tonumber(ARGV[1]) then return 0 end
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'json', ARGV[2])
return 1
`;

export function createRedisResultStore(redis: Redis, prefix: string): ResultStore {
  const resultsKey = `${prefix}:results`;
  const alertBookKey = `${prefix}:alert-book`;
  return {
    async getResults() {
      const json = await redis.hget(resultsKey, "json");
      return json === null ? undefined : (JSON.parse(json) as MonitorResults);
    },
    async putResults(results) {
      const stored = await redis.eval(
        PUT_IF_NEWER,
        1,
        resultsKey,
        String(results.version),
        JSON.stringify(results),
      );
      return stored === 1;
    },
    async getAlertBook() {
      const json = await redis.get(alertBookKey);
      return json === null ? undefined : (JSON.parse(json) as AlertBookState);
    },
    async putAlertBook(state) {
      await redis.set(alertBookKey, JSON.stringify(state));
    },
    close: async () => undefined,
  };
}
