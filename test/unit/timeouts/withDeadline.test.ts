import { describe, expect, it } from "vitest";
import { attemptDelivery } from "../../../src/adapters/sinks/attemptDelivery.js";
import { SinkInterruptedError, SinkUnavailableError } from "../../../src/adapters/sinks/sinkDeliveryError.js";
import { createWebhookSink } from "../../../src/adapters/sinks/webhookSink.js";
import { DeadlineExceededError, withDeadline } from "../../../src/adapters/timeouts/withDeadline.js";
import { notification } from "../sinks/notificationFixture.js";
import { startReceiver } from "../sinks/receiver.js";

describe("withDeadline", () => {
  it("settles at the deadline even when the work ignores its signal", async () => {
    const started = Date.now();
    const never = withDeadline(200, new AbortController().signal, () => new Promise<never>(() => undefined));
    await expect(never).rejects.toBeInstanceOf(DeadlineExceededError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("bounds a webhook delivery to a receiver that never answers, and stops on shutdown", async () => {
    const hang = await startReceiver((i) => (i === 0 ? { status: 200 } : { hang: true }));
    try {
      // The first request also warms the HTTP client up, so the timing below is the receiver's.
      await attemptDelivery(
        createWebhookSink({ name: "hang", url: hang.url, timeoutMs: 5000 }),
        notification(),
        new AbortController().signal,
      );
      expect(hang.requests[0]?.headers["user-agent"]).toMatch(/^cascade-monitor\//);
      const sink = createWebhookSink({ name: "hang", url: hang.url, timeoutMs: 300 });
      const started = Date.now();
      const error = await attemptDelivery(sink, notification(), new AbortController().signal).catch((e) => e);
      expect(error).toBeInstanceOf(SinkUnavailableError);
      expect((error as Error).message).toBe('sink "hang": timed out after 0.3 s');
      expect(Date.now() - started).toBeLessThan(1500);
      expect(hang.requests).toHaveLength(2);

      const stop = new AbortController();
      setTimeout(() => stop.abort(), 100);
      const slow = createWebhookSink({ name: "hang", url: hang.url, timeoutMs: 60_000 });
      await expect(attemptDelivery(slow, notification(), stop.signal)).rejects.toBeInstanceOf(
        SinkInterruptedError,
      );
    } finally {
      await hang.close();
    }
  });
});
