import type { Address, Log } from "viem";

/** A log viem decoded against the indexer's event ABI. */
export interface DecodedEvent {
  readonly eventName: string;
  readonly args: Record<string, unknown>;
}

/** The decoded events `address` emitted among `logs`, in order; other and undecoded logs are skipped. */
export function decodedEventsOf(logs: readonly Log[], address: Address): DecodedEvent[] {
  const events: DecodedEvent[] = [];
  for (const log of logs) {
    if (log.address.toLowerCase() !== address.toLowerCase()) continue;
    const { eventName, args } = log as Log & { eventName?: string; args?: Record<string, unknown> };
    if (eventName === undefined || args === undefined) continue;
    events.push({ eventName, args });
  }
  return events;
}
