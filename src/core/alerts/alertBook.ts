/**
 * The Alertmanager-like lifecycle, as a pure step function: given what was firing, the new
 * observations and the evaluation time, it returns the new state and the group notifications to
 * send. Time is an argument (milliseconds since the epoch), never read from a clock.
 *
 * - An observation that breaches its threshold starts firing; a firing alert resolves only when
 *   its value clears the threshold by the hysteresis margin, or when its instance disappears.
 * - Alerts are identified by a fingerprint of their labels; the same alert observed again is
 *   deduplicated (no new notification).
 * - Alerts are grouped by `groupBy` labels; a group is notified when its set of firing alerts
 *   changes or an alert resolves, and again every `repeatIntervalMs` while anything fires.
 * - Notification ids are derived from the group key, a per-group sequence number and the
 *   evaluation time, so the same step replayed from the same state at the same time yields the
 *   same ids (idempotent delivery jobs), and no two evaluations share one.
 */
import { type AlertLabels, fingerprint, fnv1a64 } from "./fingerprint.js";
import type { AlertObservation } from "./observation.js";
import { breaches, clearsWithHysteresis } from "./observation.js";

export type AlertStatus = "firing" | "resolved";

export interface AlertRecord {
  readonly fingerprint: string;
  readonly labels: AlertLabels;
  readonly status: AlertStatus;
  readonly startsAtMs: number;
  /** Set when resolved. */
  readonly endsAtMs: number | null;
  readonly value: number;
  readonly threshold: number;
  readonly summary: string;
}

export interface GroupRecord {
  readonly key: string;
  readonly labels: AlertLabels;
  readonly lastNotifiedAtMs: number;
  /** Fingerprints (sorted) that were firing in the last notification. */
  readonly notifiedFiring: readonly string[];
  readonly sequence: number;
}

/** Serializable state of the alert book (JSON-safe: it is checkpointed and stored in Redis). */
export interface AlertBookState {
  readonly alerts: readonly AlertRecord[];
  readonly groups: readonly GroupRecord[];
}

export interface AlertPolicy {
  /** Label names that form a group (e.g. `["alertname"]`); `[]` puts every alert in one group. */
  readonly groupBy: readonly string[];
  readonly repeatIntervalMs: number;
}

export interface AlertNotification {
  /** Stable id: the same group and sequence always give the same id. */
  readonly id: string;
  readonly groupKey: string;
  readonly groupLabels: AlertLabels;
  /** `firing` when at least one alert of the group fires. */
  readonly status: AlertStatus;
  readonly alerts: readonly AlertRecord[];
  readonly createdAtMs: number;
  readonly reason: "changed" | "repeat";
}

export interface AlertBookStep {
  readonly state: AlertBookState;
  readonly notifications: readonly AlertNotification[];
}

export const EMPTY_ALERT_BOOK: AlertBookState = { alerts: [], groups: [] };

function groupLabelsOf(labels: AlertLabels, groupBy: readonly string[]): AlertLabels {
  const out: Record<string, string> = {};
  for (const name of groupBy) out[name] = labels[name] ?? "";
  return out;
}

function nextRecord(
  previous: AlertRecord | undefined,
  observation: AlertObservation | undefined,
  id: string,
  nowMs: number,
): AlertRecord | undefined {
  const firing = previous?.status === "firing";
  if (observation === undefined) {
    // The instance is gone (a position repaid, a scenario removed): a firing alert resolves.
    return firing && previous !== undefined
      ? { ...previous, status: "resolved", endsAtMs: nowMs }
      : undefined;
  }
  const base = {
    fingerprint: id,
    labels: observation.labels,
    value: observation.value,
    threshold: observation.threshold,
    summary: observation.summary,
  };
  if (firing && previous !== undefined) {
    return clearsWithHysteresis(observation)
      ? { ...base, status: "resolved", startsAtMs: previous.startsAtMs, endsAtMs: nowMs }
      : { ...base, status: "firing", startsAtMs: previous.startsAtMs, endsAtMs: null };
  }
  return breaches(observation) ? { ...base, status: "firing", startsAtMs: nowMs, endsAtMs: null } : undefined;
}

/** One evaluation step of the alert book; see the module comment for the rules. */
export function stepAlertBook(
  state: AlertBookState,
  observations: readonly AlertObservation[],
  nowMs: number,
  policy: AlertPolicy,
): AlertBookStep {
  const previousById = new Map(state.alerts.map((a) => [a.fingerprint, a]));
  const observedById = new Map<string, AlertObservation>();
  for (const o of observations) observedById.set(fingerprint(o.labels), o);

  const ids = [...new Set([...previousById.keys(), ...observedById.keys()])].sort();
  const records: AlertRecord[] = [];
  for (const id of ids) {
    const record = nextRecord(previousById.get(id), observedById.get(id), id, nowMs);
    if (record !== undefined) records.push(record);
  }

  const byGroup = new Map<string, { labels: AlertLabels; alerts: AlertRecord[] }>();
  for (const record of records) {
    const labels = groupLabelsOf(record.labels, policy.groupBy);
    const key = fingerprint(labels);
    const group = byGroup.get(key) ?? { labels, alerts: [] };
    group.alerts.push(record);
    byGroup.set(key, group);
  }
  const previousGroups = new Map(state.groups.map((g) => [g.key, g]));
  const groups: GroupRecord[] = [];
  const notifications: AlertNotification[] = [];
  for (const key of [...byGroup.keys()].sort()) {
    const group = byGroup.get(key)!;
    const previous = previousGroups.get(key);
    const firing = group.alerts.filter((a) => a.status === "firing");
    const resolved = group.alerts.filter((a) => a.status === "resolved");
    const firingIds = firing.map((a) => a.fingerprint);
    const notified = previous?.notifiedFiring ?? [];
    const changed =
      resolved.length > 0 ||
      firingIds.length !== notified.length ||
      firingIds.some((id, i) => id !== notified[i]);
    const repeat =
      !changed &&
      firing.length > 0 &&
      previous !== undefined &&
      nowMs - previous.lastNotifiedAtMs >= policy.repeatIntervalMs;
    if (changed || repeat) {
      const sequence = (previous?.sequence ?? 0) + 1;
      notifications.push({
        id: fnv1a64(`${key}:${sequence}:${nowMs}`),
        groupKey: key,
        groupLabels: group.labels,
        status: firing.length > 0 ? "firing" : "resolved",
        alerts: group.alerts,
        createdAtMs: nowMs,
        reason: changed ? "changed" : "repeat",
      });
      if (firing.length > 0) {
        groups.push({
          key,
          labels: group.labels,
          lastNotifiedAtMs: nowMs,
          notifiedFiring: firingIds,
          sequence,
        });
      } else {
        // Nothing fires: the group is dropped at the next step (see below).
        groups.push({ key, labels: group.labels, lastNotifiedAtMs: nowMs, notifiedFiring: [], sequence });
      }
    } else if (previous !== undefined) {
      groups.push(previous);
    }
  }
  // Groups with no alerts left are dropped: the evaluation time in every id keeps ids from repeating.
  groups.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));

  return {
    state: { alerts: records.filter((r) => r.status === "firing"), groups },
    notifications,
  };
}
