/**
 * The distributed store: newest results and alert book as JSON under `<prefix>:results` and
 * `<prefix>:alert-book`. A Lua compare-and-set keeps a slow worker from overwriting newer results.
 * The results' positions at risk are stored as columns (`positionsAtRiskColumns`), in their
 * place in the document; results stored with them as a list (older versions) read as they are.
 */
import type { Redis } from "ioredis";
import type { AlertBookState } from "../../core/alerts/alertBook.js";
import type { MonitorResults } from "./monitorResults.js";
import {
  type PositionsAtRiskColumns,
  positionsFromColumns,
  positionsToColumns,
} from "./positionsAtRiskColumns.js";
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
      if (json === null) return undefined;
      const stored = JSON.parse(json) as Omit<MonitorResults, "positionsAtRisk"> & {
        positionsAtRisk: MonitorResults["positionsAtRisk"] | PositionsAtRiskColumns;
      };
      const atRisk = stored.positionsAtRisk;
      // Assigned in place, so the key keeps its position in the document.
      if (!Array.isArray(atRisk))
        stored.positionsAtRisk = positionsFromColumns(atRisk as PositionsAtRiskColumns);
      return stored as MonitorResults;
    },
    async putResults(results) {
      const stored = await redis.eval(
        PUT_IF_NEWER,
        1,
        resultsKey,
        String(results.version),
        JSON.stringify({ ...results, positionsAtRisk: positionsToColumns(results.positionsAtRisk) }),
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
