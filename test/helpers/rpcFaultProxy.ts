/**
 * A loopback HTTP proxy in front of a JSON-RPC node that injects faults: it delays (a timeout for
 * the client), answers 429 with Retry-After, sends malformed bodies, rejects wide eth_getLogs
 * ranges the way hosted providers do, or lies about the chain id. `decide` sees every request.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RpcRequestBody {
  readonly id: unknown;
  readonly method: string;
  readonly params?: unknown;
}

export type RpcFaultAction =
  | { readonly kind: "pass" }
  | { readonly kind: "delay"; readonly ms: number }
  | { readonly kind: "status429"; readonly retryAfterSeconds: number }
  | { readonly kind: "status500" }
  | { readonly kind: "malformed" }
  | { readonly kind: "rpcError"; readonly code: number; readonly message: string }
  | { readonly kind: "result"; readonly result: unknown };

export interface RpcFaultProxy {
  readonly url: string;
  /** Requests seen, by method (batch members count one each). */
  readonly counts: Map<string, number>;
  /** Actions taken other than pass, in order. */
  readonly injected: string[];
  /** JSON-RPC requests per HTTP request, in arrival order (a batch of n counts n). */
  readonly perHttpRequest: number[];
  setDecide(decide: (request: RpcRequestBody, seen: number) => RpcFaultAction): void;
  close(): Promise<void>;
}

/** Starts the proxy on a free loopback port. `seen` counts requests of the same method so far (0-based). */
export async function startRpcFaultProxy(
  targetUrl: string,
  decide: (request: RpcRequestBody, seen: number) => RpcFaultAction = () => ({ kind: "pass" }),
): Promise<RpcFaultProxy> {
  const counts = new Map<string, number>();
  const injected: string[] = [];
  const perHttpRequest: number[] = [];
  let current = decide;
  const sockets = new Set<import("node:net").Socket>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString("utf8");
    const parsed = JSON.parse(text) as RpcRequestBody | RpcRequestBody[];
    const first = Array.isArray(parsed) ? parsed[0] : parsed;
    const requests = Array.isArray(parsed) ? parsed : [parsed];
    perHttpRequest.push(requests.length);
    let action: RpcFaultAction = { kind: "pass" };
    for (const request of requests) {
      const seen = counts.get(request.method) ?? 0;
      counts.set(request.method, seen + 1);
      const verdict = current(request, seen);
      if (verdict.kind !== "pass" && action.kind === "pass") action = verdict;
    }
    if (action.kind !== "pass") injected.push(`${first?.method ?? "?"}:${action.kind}`);
    switch (action.kind) {
      case "status429":
        res.writeHead(429, { "Content-Type": "text/plain", "Retry-After": String(action.retryAfterSeconds) });
        res.end("Too Many Requests");
        return;
      case "status500":
        res.writeHead(500, { "Content-Type": "text/plain" });
        res.end("Internal Server Error");
        return;
      case "malformed":
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end('{"jsonrpc":"2.0","id":');
        return;
      case "rpcError": {
        const body = requests.map((r) => ({
          jsonrpc: "2.0",
          id: r.id,
          error: { code: action.code, message: action.message },
        }));
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(Array.isArray(parsed) ? body : body[0]));
        return;
      }
      case "result": {
        const body = requests.map((r) => ({ jsonrpc: "2.0", id: r.id, result: action.result }));
        res.writeHead(200, { "Content-Type": "application/json" });
        res.end(JSON.stringify(Array.isArray(parsed) ? body : body[0]));
        return;
      }
      case "delay":
        await new Promise((resolve) => setTimeout(resolve, action.ms));
        break;
      case "pass":
        break;
    }
    if (res.destroyed) return;
    try {
      const upstream = await fetch(targetUrl, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: text,
      });
      const body = await upstream.text();
      if (res.destroyed) return;
      res.writeHead(upstream.status, { "Content-Type": "application/json" });
      res.end(body);
    } catch {
      if (!res.destroyed) {
        res.writeHead(502);
        res.end();
      }
    }
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.destroyed) {
        res.writeHead(500);
        res.end();
      }
    });
  });
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    injected,
    perHttpRequest,
    setDecide: (next) => {
      current = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
