// Named errors of the local Step Functions binding. Errors raised inside a Task carry the name Step Functions
// would give them (`States.TaskFailed`, `Glue.ConcurrentRunsExceededException`, ...), because the engine
// matches Retry/Catch on `error.name` and reports `error.message` as the Cause.

/** The definition cannot run locally: a JSONata field, a foreign resource, a repeated name, invalid ASL. */
export class DefinitionError extends Error {
  constructor(
    message: string,
    readonly problems: readonly string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'DefinitionError';
  }
}

/** A placeholder in the definition has no value in the map given to the binding. */
export class PlaceholderError extends Error {
  constructor(
    message: string,
    readonly placeholders: readonly string[],
  ) {
    super(message);
    this.name = 'PlaceholderError';
  }
}

/** Some Task states have no local handler; running them would call real AWS. */
export class UnboundTaskError extends Error {
  constructor(readonly states: readonly string[]) {
    super(`Refusing to start: no local binding for Task state(s) ${states.join(', ')}`);
    this.name = 'UnboundTaskError';
  }
}

/**
 * An error as a Task reports it to the engine: `name` is the Step Functions error name, `message` the Cause
 * text (JSON for .sync failures and Lambda errors, as on AWS).
 */
export class TaskError extends Error {
  constructor(errorName: string, causeText: string, options?: ErrorOptions) {
    super(causeText, options);
    this.name = errorName;
  }
}
