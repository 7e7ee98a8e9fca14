/** @module status-badge The health status as a coloured label (colour and text, never colour alone). */
import type { HealthStatus } from '../api-types.js';

/** A coloured label for a sub-account's health status. */
export function StatusBadge({ status }: { status: HealthStatus }) {
  return <span className={`status status-${status}`}>{status}</span>;
}
