import { describe, expect, it } from "vitest";
import { type AlertBookState, EMPTY_ALERT_BOOK, stepAlertBook } from "../../../src/core/alerts/alertBook.js";
import { evaluateRules } from "../../../src/core/alerts/evaluateRules.js";
import { liquidationsRule, scenario, view } from "./fixtures.js";

const policy = { groupBy: ["alertname"], repeatIntervalMs: 3_600_000 };
const T0 = Date.UTC(2026, 10, 21, 12);

function step(state: AlertBookState, repaid: Record<string, number>, nowMs: number) {
  const v = view({
    scenarios: Object.entries(repaid).map(([name, repaidUsd]) => scenario({ name, repaidUsd })),
  });
  return stepAlertBook(state, evaluateRules([liquidationsRule], v), nowMs, policy);
}

describe("stepAlertBook", () => {
  it("fires once, deduplicates while firing, repeats after the interval, resolves once", () => {
    const s1 = step(EMPTY_ALERT_BOOK, { a: 2e6 }, T0);
    expect(s1.notifications).toHaveLength(1);
    expect(s1.notifications[0]?.status).toBe("firing");
    expect(s1.notifications[0]?.alerts.map((a) => a.labels.scenario)).toEqual(["a"]);

    const s2 = step(s1.state, { a: 2.5e6 }, T0 + 60_000);
    expect(s2.notifications).toHaveLength(0);
    expect(s2.state.alerts[0]?.value).toBe(2.5e6);
    expect(s2.state.alerts[0]?.startsAtMs).toBe(T0);

    const s3 = step(s2.state, { a: 2.5e6 }, T0 + 3_600_000);
    expect(s3.notifications.map((n) => n.reason)).toEqual(["repeat"]);

    const s4 = step(s3.state, { a: 0 }, T0 + 3_700_000);
    expect(s4.notifications).toHaveLength(1);
    expect(s4.notifications[0]?.status).toBe("resolved");
    expect(s4.notifications[0]?.alerts[0]?.endsAtMs).toBe(T0 + 3_700_000);
    expect(s4.state.alerts).toHaveLength(0);
    expect(step(s4.state, { a: 0 }, T0 + 3_800_000).notifications).toHaveLength(0);
  });

  it("does not flap on values that hover just around the threshold (hysteresis 10%)", () => {
    let state = EMPTY_ALERT_BOOK;
    let sent = 0;
    // Threshold 1e6: fires at 1.01e6; values in (0.9e6, 1e6] must not resolve it.
    const values = [1.01e6, 0.99e6, 1.02e6, 0.95e6, 0.91e6, 1.005e6, 0.9e6, 0.95e6, 0.99e6];
    const statuses: string[] = [];
    values.forEach((v, i) => {
      const out = step(state, { a: v }, T0 + i * 1000);
      state = out.state;
      sent += out.notifications.length;
      statuses.push(out.notifications.map((n) => n.status).join(""));
    });
    expect(statuses).toEqual(["firing", "", "", "", "", "", "resolved", "", ""]);
    expect(sent).toBe(2);
  });

  it("groups alerts by label and notifies a group when its firing set changes", () => {
    const s1 = step(EMPTY_ALERT_BOOK, { a: 2e6, b: 3e6 }, T0);
    expect(s1.notifications).toHaveLength(1);
    expect(s1.notifications[0]?.alerts.map((a) => a.labels.scenario).sort()).toEqual(["a", "b"]);
    expect(s1.notifications[0]?.groupLabels).toEqual({ alertname: "ScenarioLiquidationsHigh" });
    const s2 = step(s1.state, { a: 2e6, b: 0 }, T0 + 1000);
    expect(s2.notifications).toHaveLength(1);
    const statusOf = Object.fromEntries(
      s2.notifications[0]!.alerts.map((a) => [a.labels.scenario, a.status]),
    );
    expect(statusOf).toEqual({ a: "firing", b: "resolved" });
    expect(s2.notifications[0]?.status).toBe("firing");
  });

  it("resolves an alert whose instance disappears, and gives replayed steps the same notification ids", () => {
    const s1 = step(EMPTY_ALERT_BOOK, { a: 2e6 }, T0);
    const replay = step(EMPTY_ALERT_BOOK, { a: 2e6 }, T0);
    expect(replay.notifications[0]?.id).toBe(s1.notifications[0]?.id);
    const s2 = step(s1.state, {}, T0 + 1000);
    expect(s2.notifications[0]?.status).toBe("resolved");
    expect(s2.notifications[0]?.id).not.toBe(s1.notifications[0]?.id);
    // Firing again later gets a fresh id: the group's sequence survives resolution.
    const s3 = step(s2.state, { a: 2e6 }, T0 + 2000);
    expect(new Set([s1, s2, s3].map((s) => s.notifications[0]?.id)).size).toBe(3);
    // A group with nothing left is dropped, so the state stays bounded; ids stay unique by time.
    const s4 = step(s3.state, {}, T0 + 3000);
    const s5 = step(s4.state, {}, T0 + 4000);
    expect(s5.state).toEqual({ alerts: [], groups: [] });
    const s6 = step(s5.state, { a: 2e6 }, T0 + 5000);
    expect(s6.notifications[0]?.id).not.toBe(s1.notifications[0]?.id);
    // The state is plain JSON.
    expect(JSON.parse(JSON.stringify(s3.state))).toEqual(s3.state);
  });
});
