/** @module status-badge The health status as a coloured label (colour and text, never colour alone), its meaning on hover. */
import { describeStatus, type HealthStatus, type HealthThresholds } from '../api-types.js';

/** A coloured label for a sub-account's health status; the rule behind it shows on hover. */
export function StatusBadge({ status, thresholds }: { status: HealthStatus; thresholds?: HealthThresholds }) {
  return (
    <span className={`status status-${status}`} title={describeStatus(status, thresholds)}>
      {status}
    </span>
  );
}
