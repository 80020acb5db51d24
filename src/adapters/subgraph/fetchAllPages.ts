/**
 * Reads a paginated GraphQL source to the end, all or nothing: each page is validated with its
 * zod schema; a page that fails (network, HTTP, or a malformed body) is fetched again with
 * backoff; if it keeps failing, the whole read fails and the caller applies nothing.
 */
import type { z } from "zod";
import { TransientError } from "../../core/errors.js";
import { redactUrls } from "../chain/redactUrls.js";

export interface FetchAllPagesParameters<TPage, TCursor> {
  /** Source name for messages (never its URL: it may carry a key). */
  readonly source: string;
  readonly fetchPage: (cursor: TCursor | undefined) => Promise<unknown>;
  readonly pageSchema: z.ZodType<TPage>;
  /** The next page's cursor, or undefined after the last page. */
  readonly nextCursor: (page: TPage, cursor: TCursor | undefined) => TCursor | undefined;
  readonly attemptsPerPage?: number;
  readonly baseDelayMs?: number;
  /** Stops a runaway source (a cursor that never advances). */
  readonly maxPages?: number;
  readonly onRetry?: (page: number, attempt: number, reason: string) => void;
}

export async function fetchAllPages<TPage, TCursor>(
  parameters: FetchAllPagesParameters<TPage, TCursor>,
): Promise<TPage[]> {
  const attempts = parameters.attemptsPerPage ?? 4;
  const baseDelayMs = parameters.baseDelayMs ?? 200;
  const maxPages = parameters.maxPages ?? 10_000;
  const pages: TPage[] = [];
  let cursor: TCursor | undefined;
  for (let index = 0; index < maxPages; index++) {
    let page: TPage | undefined;
    for (let attempt = 1; page === undefined; attempt++) {
      let reason: string;
      try {
        const parsed = parameters.pageSchema.safeParse(await parameters.fetchPage(cursor));
        if (parsed.success) {
          page = parsed.data;
          break;
        }
        const issue = parsed.error.issues[0];
        reason = `malformed page (${issue === undefined ? "?" : `${issue.path.join(".")}: ${issue.message}`})`;
      } catch (error) {
        reason = redactUrls(
          error instanceof Error ? (error.message.split("\n")[0] ?? error.name) : String(error),
        );
      }
      if (attempt >= attempts)
        throw new TransientError(
          `${parameters.source}: page ${index + 1} failed ${attempts} times: ${reason}; nothing was applied`,
        );
      parameters.onRetry?.(index + 1, attempt, reason);
      await new Promise((resolve) => setTimeout(resolve, baseDelayMs * 2 ** (attempt - 1)));
    }
    pages.push(page);
    const next = parameters.nextCursor(page, cursor);
    if (next === undefined) return pages;
    cursor = next;
  }
  throw new TransientError(`${parameters.source}: more than ${maxPages} pages; nothing was applied`);
}
