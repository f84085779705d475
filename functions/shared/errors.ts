// Named errors. A Lambda used as a Step Functions task throws errors whose `name` is what the ASL's
// ErrorEquals lists; bundling keeps the names (esbuild keepNames).

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

/** The Lambda was invoked with something that is not an SQS batch (a wiring mistake, not a bad message). */
export class InvalidEventError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}
