import { afterEach, describe, expect, it } from "vitest";
import { createSlackSink } from "../../../src/adapters/sinks/slackSink.js";
import { notification } from "./notificationFixture.js";
import { type Receiver, startReceiver } from "./receiver.js";

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe("slack sink", () => {
  it("posts Block Kit with a header, the alert's numbers and a dashboard link", async () => {
    const r = await startReceiver();
    receivers.push(r);
    const sink = createSlackSink({
      name: "slack",
      webhookUrl: r.url,
      dashboardUrl: "http://grafana.local/d/cascade",
      timeoutMs: 2000,
    });
    await sink.deliver(notification(), AbortSignal.timeout(5000));
    const body = JSON.parse(r.requests[0]!.body);
    expect(r.requests[0]!.headers["content-type"]).toBe("application/json");
    expect(body.blocks.map((b: { type: string }) => b.type)).toEqual(["header", "section", "context"]);
    expect(body.blocks[0].text.text).toBe("FIRING: ScenarioLiquidationsHigh (1)");
    expect(body.blocks[1].text.text).toContain("$2,500,000");
    expect(body.blocks[2].elements[0].text).toContain("<http://grafana.local/d/cascade|Open the dashboard>");
    expect(body.text).toContain("FIRING");
  });

  it("lists at most ten alerts and says how many more there are", async () => {
    const r = await startReceiver();
    receivers.push(r);
    const base = notification().alerts[0]!;
    const alerts = Array.from({ length: 13 }, (_, i) => ({
      ...base,
      fingerprint: `f${i}`,
      summary: `alert ${i}`,
    }));
    await createSlackSink({ name: "slack", webhookUrl: r.url, timeoutMs: 2000 }).deliver(
      notification({ alerts }),
      AbortSignal.timeout(5000),
    );
    const text: string = JSON.parse(r.requests[0]!.body).blocks[1].text.text;
    expect(text.split("\n")).toHaveLength(11);
    expect(text).toContain("and 3 more");
  });
});
