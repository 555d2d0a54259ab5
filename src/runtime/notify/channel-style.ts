// What channels share about presenting an event: its label and its colour.
import type { OutgoingEvent, Severity } from './notification.js';

/** Short label of a kind, e.g. "Refused candidate". */
export const KIND_LABELS: Record<OutgoingEvent['kind'], string> = {
  deployment: 'Deployment',
  promotion: 'Promotion',
  'candidate-refused': 'Refused candidate',
  'risk-overlay': 'Risk overlay',
  'model-unavailable': 'Model unavailable',
  'data-outage': 'Data outage',
  'service-stalled': 'Service stalled',
  'service-restarted': 'Service restarted',
  'daily-summary': 'Daily summary',
  'notifications-suppressed': 'Notifications suppressed',
};

/** RGB colour: green for a new model, blue for other information, amber for warnings, red for critical. */
export function colorOf(kind: OutgoingEvent['kind'], severity: Severity): number {
  if (severity === 'critical') return 0xda3633;
  if (severity === 'warning') return 0xd29922;
  return kind === 'deployment' || kind === 'promotion' ? 0x2ea043 : 0x2f81f7;
}
