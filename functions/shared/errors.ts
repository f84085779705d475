// The one error toolkit: named errors, an SDK-shaped service error, and the checks every module uses on a
// caught `unknown`. A Lambda used as a Step Functions task throws errors whose `name` is what the ASL's
// ErrorEquals lists; bundling keeps the names (esbuild keepNames).

/** The message of anything thrown; a non-Error is stringified. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error !== null && typeof (error as { message?: unknown }).message === 'string') {
    return (error as { message: string }).message;
  }
  return String(error);
}

/** The `name` of anything thrown (an SDK exception's name is its AWS error code); undefined when it has none. */
export function errorName(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const name = (error as { name?: unknown }).name;
  return typeof name === 'string' ? name : undefined;
}

/** True when the thrown value's `name` is one of `names` (how SDK exceptions and ASL errors are told apart). */
export function hasErrorName(error: unknown, ...names: string[]): boolean {
  const name = errorName(error);
  return name !== undefined && names.includes(name);
}

/** True when a Node system error carries one of `codes` (`ENOENT`, `EEXIST`, `EPERM`, ...). */
export function hasErrorCode(error: unknown, ...codes: string[]): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && codes.includes(code);
}

/**
 * An error shaped like the AWS SDK's service exceptions (`name` is the AWS exception name, with `$fault` and
 * `$metadata`), so code written against the SDK handles a local service's errors the same way.
 */
export class AwsServiceError extends Error {
  readonly $fault = 'client' as const;
  readonly $metadata: { httpStatusCode: number };
  constructor(name: string, message: string, httpStatusCode = 400, options?: ErrorOptions) {
    super(message, options);
    this.name = name;
    this.$metadata = { httpStatusCode };
  }
}

export class ConfigError extends Error {
  constructor(
    message: string,
    readonly variable: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/** An execution name could not be built from its parts (bad eventTime, bad re-run number). */
export class ExecutionNameError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ExecutionNameError';
  }
}

/** The Lambda was invoked with something that is not an event it accepts (a wiring mistake, not a bad message). */
export class InvalidEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}
