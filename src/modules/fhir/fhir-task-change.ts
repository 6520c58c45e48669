// What a referrer's PUT or PATCH of a Task asks for: a status and its reason. Pure. Only the status and
// statusReason may change (and only to cancelled, which the route checks); anything else is refused so
// that a sender never believes Mortar kept a change it did not.
import type { Resource } from './fhir-resources.ts';
import type { FieldError } from './fhir-search.ts';
import { TASK_STATUSES, type TaskStatus } from './fhir-status.ts';

export type TaskChange = { status: TaskStatus; reason: string | undefined } | { errors: FieldError[] };

const reasonText = (v: unknown) =>
  v && typeof v === 'object' && typeof (v as { text?: unknown }).text === 'string'
    ? (v as { text: string }).text
    : undefined;

const isStatus = (v: unknown): v is TaskStatus => (TASK_STATUSES as readonly unknown[]).includes(v);

function fromPut(body: unknown, current: Resource): TaskChange {
  const task = body as Resource | null;
  if (!task || typeof task !== 'object' || task.resourceType !== 'Task')
    return { errors: [{ path: 'Task', message: 'Send the Task resource' }] };
  if (task.id !== undefined && task.id !== current.id)
    return { errors: [{ path: 'Task.id', message: 'The Task id must be the id in the address' }] };
  if (!isStatus(task.status)) return { errors: [{ path: 'Task.status', message: 'Give the Task a status' }] };
  return { status: task.status, reason: reasonText(task.statusReason) };
}

/** JSON Patch (RFC 6902) operations on /status and /statusReason only. */
function fromPatch(body: unknown, current: Resource): TaskChange {
  if (!Array.isArray(body) || body.length === 0)
    return { errors: [{ path: 'Task', message: 'Send a JSON Patch: a list of operations' }] };
  let status: unknown = current.status;
  let reason: string | undefined;
  for (const [i, op] of body.entries()) {
    const { op: kind, path, value } = (op ?? {}) as { op?: unknown; path?: unknown; value?: unknown };
    if (kind === 'test') continue;
    if ((kind === 'replace' || kind === 'add') && path === '/status') status = value;
    else if ((kind === 'replace' || kind === 'add') && path === '/statusReason') reason = reasonText(value);
    else if ((kind === 'replace' || kind === 'add') && path === '/statusReason/text')
      reason = typeof value === 'string' ? value : undefined;
    else
      return {
        errors: [
          { path: `Task (patch operation ${i})`, message: 'Only status and statusReason can be changed' },
        ],
      };
  }
  if (!isStatus(status))
    return { errors: [{ path: 'Task.status', message: 'The status is not a Task status' }] };
  return { status, reason };
}

export const taskChangeOf = (method: 'put' | 'patch', body: unknown, current: Resource): TaskChange =>
  method === 'put' ? fromPut(body, current) : fromPatch(body, current);
