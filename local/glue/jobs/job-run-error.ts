// The one error a job run fails with; its message becomes the JobRun's ErrorMessage.
export class JobRunError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JobRunError';
  }
}

export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new JobRunError('job run interrupted', { cause: signal.reason });
}
