/** The error class of @hoshimi/queue: a stable string `code`, a message that names what failed, details. */
export class QueueError extends Error {
  readonly code: string;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'QueueError';
    this.code = code;
    this.details = details;
  }
}
