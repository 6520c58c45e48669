import { randomUUID } from 'node:crypto';
import { notifyTime, type FakeNotification } from './fake-notify-store.ts';

// The posts Notify makes to a service's callback URLs, with the JSON notifications-api sends
// (app/celery/service_callback_tasks.py): a delivery receipt when a message is delivered or fails, and
// each text someone sends to the service's inbound number.

export type Callback = { url: string; bearerToken: string };

export type CallbackRecord = {
  kind: 'receipt' | 'inbound';
  url: string;
  body: Record<string, unknown>;
  /** The callback's answer, or `error` (the error's name) when there was none. */
  status?: number;
  error?: string;
};

export function receiptBody(n: FakeNotification): Record<string, unknown> {
  return {
    id: n.id,
    reference: n.reference,
    to: n.to,
    status: n.status,
    created_at: notifyTime(n.createdAt),
    completed_at: n.completedAt === null ? null : notifyTime(n.completedAt),
    sent_at: n.sentAt === null ? null : notifyTime(n.sentAt),
    notification_type: n.type,
    template_id: n.templateId,
    template_version: n.templateVersion,
  };
}

export function inboundBody(
  from: string,
  to: string,
  message: string,
  nowMs: number,
): Record<string, unknown> {
  return {
    id: randomUUID(),
    source_number: from,
    destination_number: to,
    // `message`, as notifications-api posts it.
    message,
    date_received: notifyTime(nowMs),
  };
}

/** Posts callbacks once each (Notify retries; the fake records the answer for the test to judge). */
export class CallbackPoster {
  readonly records: CallbackRecord[] = [];
  readonly #pending = new Set<Promise<unknown>>();

  post(kind: CallbackRecord['kind'], cb: Callback, body: Record<string, unknown>): Promise<CallbackRecord> {
    return this.track(this.#post(kind, cb, body));
  }

  /** Keeps a promise until it settles, so `settled()` can wait for it. */
  track<T>(p: Promise<T>): Promise<T> {
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p)).catch(() => undefined);
    return p;
  }

  async settled(): Promise<void> {
    while (this.#pending.size) await Promise.allSettled([...this.#pending]);
  }

  async #post(kind: CallbackRecord['kind'], cb: Callback, body: Record<string, unknown>) {
    const record: CallbackRecord = { kind, url: cb.url, body };
    this.records.push(record);
    try {
      const res = await fetch(cb.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${cb.bearerToken}` },
        body: JSON.stringify(body),
        // Notify gives a callback 5 seconds.
        signal: AbortSignal.timeout(5_000),
      });
      record.status = res.status;
      await res.arrayBuffer();
    } catch (err) {
      record.error = err instanceof Error ? err.name : 'unknown';
    }
    return record;
  }
}
