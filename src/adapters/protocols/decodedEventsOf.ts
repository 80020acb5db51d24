import type { Address, Log } from "viem";

/** A log viem decoded against the indexer's event ABI. */
export interface DecodedEvent {
  readonly eventName: string;
  readonly args: Record<string, unknown>;
}

/** The decoded events `address` emitted among `logs`, in order; other and undecoded logs are skipped. */
export function decodedEventsOf(logs: readonly Log[], address: Address): DecodedEvent[] {
  return decodedEventsFrom(logs, new Set([address.toLowerCase()]));
}

/** The decoded events any of `addresses` (lowercase) emitted among `logs`, in order. */
export function decodedEventsFrom(logs: readonly Log[], addresses: ReadonlySet<string>): DecodedEvent[] {
  const events: DecodedEvent[] = [];
  if (addresses.size === 0) return events;
  for (const log of logs) {
    if (!addresses.has(log.address.toLowerCase())) continue;
    const { eventName, args } = log as Log & { eventName?: string; args?: Record<string, unknown> };
    if (eventName === undefined || args === undefined) continue;
    events.push({ eventName, args });
  }
  return events;
}
