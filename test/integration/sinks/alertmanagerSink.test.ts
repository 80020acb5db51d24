/**
 * The Alertmanager sink against a real Alertmanager started here: a firing notification becomes
 * an active alert with the monitor's labels, annotations and times, routed on to the team's
 * webhook; the resolved notification resolves it (gone from the active alerts, a resolved
 * webhook message). Errors are classified like every sink's.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlertmanagerSink } from "../../../src/adapters/sinks/alertmanagerSink.js";
import { SinkRejectedError, SinkUnavailableError } from "../../../src/adapters/sinks/sinkDeliveryError.js";
import { startAlertmanager, type TestAlertmanager } from "../../helpers/alertmanagerServer.js";
import { freePort } from "../../helpers/redisServer.js";
import { notification } from "../../unit/sinks/notificationFixture.js";
import { type Receiver, startReceiver } from "../../unit/sinks/receiver.js";

let alertmanager: TestAlertmanager;
let team: Receiver;

beforeAll(async () => {
  team = await startReceiver();
  alertmanager = await startAlertmanager({ webhookUrl: team.url });
});
afterAll(async () => {
  await alertmanager?.stop();
  await team?.close();
});

interface GettableAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
  status: { state: string };
}
interface WebhookMessage {
  status: string;
  alerts: Array<{ status: string; labels: Record<string, string> }>;
}

async function activeAlerts(alertname: string): Promise<GettableAlert[]> {
  const filter = encodeURIComponent(`alertname="${alertname}"`);
  const res = await fetch(`${alertmanager.url}/api/v2/alerts?filter=${filter}`);
  expect(res.status).toBe(200);
  return (await res.json()) as GettableAlert[];
}

async function waitFor(what: string, probe: () => boolean | Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline) {
    if (await probe()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const messages = () => team.requests.map((r) => JSON.parse(r.body) as WebhookMessage);

describe("Alertmanager sink", () => {
  it("posts firing alerts that Alertmanager holds and routes, and resolves them", async () => {
    const nowMs = Date.now();
    const startsAtMs = nowMs - 60_000;
    const sink = createAlertmanagerSink({
      name: "am",
      url: `${alertmanager.url}/`,
      labels: { team: "risk", severity: "overridden-by-the-alert" },
      generatorUrl: "http://127.0.0.1:9464/",
      validForMs: 3_600_000,
      timeoutMs: 5000,
      nowMs: () => nowMs,
    });
    expect(sink.kind).toBe("alertmanager");
    const firing = notification({
      createdAtMs: nowMs,
      alerts: notification().alerts.map((a) => ({ ...a, startsAtMs })),
    });
    await sink.deliver(firing, AbortSignal.timeout(10_000));

    const [active, ...others] = await activeAlerts("ScenarioLiquidationsHigh");
    expect(others).toHaveLength(0);
    expect(active?.status.state).toBe("active");
    expect(active?.labels).toEqual({
      alertname: "ScenarioLiquidationsHigh",
      severity: "critical",
      scenario: "eth-20",
      team: "risk",
    });
    expect(active?.annotations).toEqual({
      summary: firing.alerts[0]?.summary,
      value: "2500000",
      threshold: "1000000",
      fingerprint: "aaaaaaaaaaaaaaaa",
    });
    expect(Date.parse(active?.startsAt ?? "")).toBe(startsAtMs);
    expect(Date.parse(active?.endsAt ?? "")).toBe(nowMs + 3_600_000);
    expect(active?.generatorURL).toBe("http://127.0.0.1:9464/");

    await waitFor("the routed firing message", () => messages().some((m) => m.status === "firing"));
    expect(messages()[0]?.alerts.map((a) => a.labels.scenario)).toEqual(["eth-20"]);

    const resolvedAtMs = nowMs - 1000;
    await sink.deliver(
      notification({
        id: "fedcba9876543210",
        status: "resolved",
        createdAtMs: nowMs,
        alerts: firing.alerts.map((a) => ({ ...a, status: "resolved", endsAtMs: resolvedAtMs })),
      }),
      AbortSignal.timeout(10_000),
    );
    expect(await activeAlerts("ScenarioLiquidationsHigh")).toEqual([]);
    await waitFor("the routed resolved message", () => messages().some((m) => m.status === "resolved"));
    const resolved = messages().find((m) => m.status === "resolved");
    expect(resolved?.alerts.map((a) => [a.status, a.labels.team])).toEqual([["resolved", "risk"]]);
  }, 40_000);

  it("is unavailable (retried) when nothing listens, rejected (not retried) on a 4xx", async () => {
    const down = createAlertmanagerSink({
      name: "am-down",
      url: `http://127.0.0.1:${await freePort()}`,
      validForMs: 60_000,
      timeoutMs: 2000,
    });
    await expect(down.deliver(notification(), AbortSignal.timeout(5000))).rejects.toBeInstanceOf(
      SinkUnavailableError,
    );
    // A label name Alertmanager refuses: it answers 400, which no retry can fix.
    const bad = createAlertmanagerSink({
      name: "am-bad",
      url: alertmanager.url,
      labels: { "not a label": "x" },
      validForMs: 60_000,
      timeoutMs: 2000,
    });
    const error = await bad.deliver(notification(), AbortSignal.timeout(5000)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SinkRejectedError);
    expect((error as Error).message).toBe('sink "am-bad": HTTP 400, not retried');
  });
});
