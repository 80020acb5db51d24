/** Which parts of the pipeline one process runs. */
export const DAEMON_ROLES = ["sync", "simulate", "notify", "api", "all"] as const;
export type DaemonRole = (typeof DAEMON_ROLES)[number];

/** Roles that process each queue (`notify` covers alert evaluation and delivery). */
export const runsSync = (role: DaemonRole): boolean => role === "sync" || role === "all";
export const runsSimulate = (role: DaemonRole): boolean => role === "simulate" || role === "all";
export const runsNotify = (role: DaemonRole): boolean => role === "notify" || role === "all";
