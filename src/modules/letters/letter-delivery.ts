// What the page says about a letter's sending by secure email. Pure.
import { formatDate } from '../../platform/dates.ts';
import { londonParts } from '../../platform/london-time.ts';

export type DeliveryFacts = {
  recipient: string;
  status: 'scheduled' | 'queued' | 'sending' | 'sent' | 'failed';
  requestedAt: Date;
  sentAt: Date | null;
  statusAt: Date;
  reason: string | null;
};

const at = (d: Date) => {
  const p = londonParts(d);
  return `${formatDate(p.date)} at ${p.time}`;
};

/** "Sent to dr.x@nhs.net on 7 December 2026 at 10:02", or where it stands, in England's time. */
export function deliveryLine(d: DeliveryFacts): string {
  if (d.status === 'sent') return `Sent to ${d.recipient} on ${at(d.sentAt ?? d.statusAt)}`;
  if (d.status === 'failed')
    return `Not sent to ${d.recipient}: ${d.reason ?? 'the mail server refused it'} (asked on ${at(d.requestedAt)})`;
  return `Sending to ${d.recipient} (asked on ${at(d.requestedAt)}): this usually takes a minute or two`;
}
