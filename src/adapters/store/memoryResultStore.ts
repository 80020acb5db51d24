import type { AlertBookState } from "../../core/alerts/alertBook.js";
import type { MonitorResults } from "./monitorResults.js";
import type { ResultStore } from "./resultStore.js";

/** The single-process store: the newest results and alert book in memory. */
export function createMemoryResultStore(initial?: {
  results?: MonitorResults;
  alertBook?: AlertBookState;
}): ResultStore {
  let results = initial?.results;
  let alertBook = initial?.alertBook;
  return {
    getResults: async () => results,
    putResults: async (next) => {
      if (results !== undefined && results.version >= next.version) return false;
      results = next;
      return true;
    },
    getAlertBook: async () => alertBook,
    putAlertBook: async (state) => {
      alertBook = state;
    },
    close: async () => undefined,
  };
}
