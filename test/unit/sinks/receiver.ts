/**
 * A real local HTTP receiver for sink tests: records every request and answers from a script,
 * or never answers (`hang`), as a receiver that accepted the connection and then stalled.
 */
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";

export interface ReceivedRequest {
  readonly atMs: number;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The status answered, or undefined while (or because) the receiver hangs. */
  readonly status: number | undefined;
}

export type Reply =
  | { readonly status: number; readonly headers?: Record<string, string> }
  | { readonly hang: true };

export interface Receiver {
  readonly url: string;
  readonly requests: ReceivedRequest[];
  close(): Promise<void>;
}

/** `reply(n)` answers the n-th request (0-based). */
export async function startReceiver(
  reply: (index: number) => Reply = () => ({ status: 200 }),
): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const index = requests.length;
      const r = reply(index);
      requests.push({
        atMs: Date.now(),
        path: req.url ?? "",
        headers: req.headers,
        body: Buffer.concat(chunks).toString("utf8"),
        status: "hang" in r ? undefined : r.status,
      });
      if ("hang" in r) {
        hanging.add(res);
        return;
      }
      res.writeHead(r.status, r.headers ?? {});
      res.end(r.status < 300 ? "ok" : "no");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook/secret-token-abc`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        hanging.clear();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Successful (2xx) deliveries per `webhook-id`: at-least-once means every id appears, exactly-once that each counts 1. */
export function deliveredById(receiver: Receiver): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of receiver.requests) {
    const id = String(r.headers["webhook-id"] ?? "");
    if (r.status !== undefined && r.status < 300) counts.set(id, (counts.get(id) ?? 0) + 1);
  }
  return counts;
}
