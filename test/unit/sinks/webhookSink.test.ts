import { createHmac, timingSafeEqual } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import {
  DEFAULT_RETRY_POLICY,
  deliverToAll,
  deliverWithRetry,
} from "../../../src/adapters/sinks/deliverWithRetry.js";
import { SinkRejectedError } from "../../../src/adapters/sinks/sinkDeliveryError.js";
import { createWebhookSink } from "../../../src/adapters/sinks/webhookSink.js";
import { notification } from "./notificationFixture.js";
import { type Receiver, startReceiver } from "./receiver.js";

const KEY = Buffer.from("a 24-byte test signing key", "utf8");
const SECRET = `whsec_${KEY.toString("base64")}`;
const fast = { maxAttempts: 8, baseDelayMs: 20, maxDelayMs: 2000 };

/** Verifies a Standard Webhooks signature from the spec text, separately from the sink's code. */
function verify(headers: Record<string, string | string[] | undefined>, body: string): boolean {
  const id = String(headers["webhook-id"]);
  const ts = String(headers["webhook-timestamp"]);
  const expected = createHmac("sha256", KEY)
    .update(Buffer.from(`${id}.${ts}.${body}`, "utf8"))
    .digest();
  return String(headers["webhook-signature"])
    .split(" ")
    .some((entry) => {
      const [version, sig] = entry.split(",");
      const got = Buffer.from(sig ?? "", "base64");
      return version === "v1" && got.length === expected.length && timingSafeEqual(got, expected);
    });
}

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe("webhook sink", () => {
  it("signs per Standard Webhooks: id, timestamp in seconds, v1 HMAC-SHA256 of id.timestamp.body", async () => {
    const r = await startReceiver();
    receivers.push(r);
    const nowMs = Date.UTC(2026, 10, 21, 12, 0, 7, 900);
    const sink = createWebhookSink({
      name: "ops",
      url: r.url,
      secret: SECRET,
      timeoutMs: 2000,
      nowMs: () => nowMs,
    });
    await sink.deliver(notification(), AbortSignal.timeout(5000));
    const [req] = r.requests;
    expect(req?.headers["webhook-id"]).toBe("msg_0123456789abcdef");
    expect(req?.headers["webhook-timestamp"]).toBe(String(Math.floor(nowMs / 1000)));
    expect(verify(req!.headers, req!.body)).toBe(true);
    expect(verify(req!.headers, `${req!.body} `)).toBe(false);
    const payload = JSON.parse(req!.body);
    expect(payload.type).toBe("alert.firing");
    expect(payload.data.alerts[0].value).toBe(2_500_000);
  });

  it("delivers exactly once to a receiver that fails five times then succeeds, with the same message id", async () => {
    const r = await startReceiver((i) => ({ status: i < 5 ? 503 : 204 }));
    receivers.push(r);
    const sink = createWebhookSink({ name: "ops", url: r.url, secret: SECRET, timeoutMs: 2000 });
    const outcome = await deliverWithRetry(sink, notification(), fast, AbortSignal.timeout(20_000));
    expect(outcome).toMatchObject({ ok: true, attempts: 6 });
    expect(r.requests).toHaveLength(6);
    expect(new Set(r.requests.map((q) => q.headers["webhook-id"])).size).toBe(1);
    // Backoff doubles: 20, 40, 80, 160, 320 ms between the six attempts.
    const gaps = r.requests.slice(1).map((q, i) => q.atMs - r.requests[i]!.atMs);
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(20 * 2 ** i - 5);
    });
    expect(r.requests.every((q) => verify(q.headers, q.body))).toBe(true);
  });

  it("waits as long as a 429's Retry-After says before trying again", async () => {
    const r = await startReceiver((i) =>
      i === 0 ? { status: 429, headers: { "retry-after": "1" } } : { status: 200 },
    );
    receivers.push(r);
    const sink = createWebhookSink({ name: "ops", url: r.url, secret: SECRET, timeoutMs: 2000 });
    const outcome = await deliverWithRetry(sink, notification(), fast, AbortSignal.timeout(20_000));
    expect(outcome).toMatchObject({ ok: true, attempts: 2 });
    expect(r.requests[1]!.atMs - r.requests[0]!.atMs).toBeGreaterThanOrEqual(990);
  });

  it("does not retry a 4xx rejection, and never puts the URL in the error", async () => {
    const r = await startReceiver(() => ({ status: 404 }));
    receivers.push(r);
    const sink = createWebhookSink({ name: "ops", url: r.url, timeoutMs: 2000 });
    const outcome = await deliverWithRetry(sink, notification(), fast, AbortSignal.timeout(5000));
    expect(outcome.ok).toBe(false);
    expect(outcome.attempts).toBe(1);
    expect(outcome.error).toBeInstanceOf(SinkRejectedError);
    expect(String((outcome.error as Error).message)).not.toContain("secret-token-abc");
  });

  it("refuses a secret without the whsec_ prefix, naming the field but not the value", () => {
    expect(() =>
      createWebhookSink({ name: "ops", url: "http://x", secret: "hunter2hunter2", timeoutMs: 1 }),
    ).toThrow(/sinks\.ops\.secret: must start with "whsec_"/);
  });

  it("keeps delivering to healthy sinks while one sink stays down", async () => {
    const down = await startReceiver(() => ({ status: 500 }));
    const up = await startReceiver();
    receivers.push(down, up);
    const t0 = Date.now();
    const doneAt: Record<string, number> = {};
    const outcomes = await deliverToAll(
      [
        createWebhookSink({ name: "down", url: down.url, timeoutMs: 2000 }),
        createWebhookSink({ name: "up", url: up.url, timeoutMs: 2000 }),
      ],
      notification(),
      { ...DEFAULT_RETRY_POLICY, maxAttempts: 5, baseDelayMs: 200 },
      AbortSignal.timeout(20_000),
      (o) => {
        doneAt[o.sink] = Date.now() - t0;
      },
    );
    expect(outcomes.map((o) => [o.sink, o.ok, o.attempts])).toEqual([
      ["down", false, 5],
      ["up", true, 1],
    ]);
    // 200+400+800+1600 ms of backoff for the dead sink; the healthy one is done long before.
    expect(doneAt.down).toBeGreaterThanOrEqual(3000 - 20);
    expect(doneAt.up).toBeLessThan(1000);
  });
});
