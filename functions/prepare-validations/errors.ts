// The errors PrepareValidations throws, by name, for the failure notification to show.

export class ValidationQueryError extends Error {
  constructor(
    message: string,
    readonly validation: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ValidationQueryError';
  }
}

export class InvalidPlaceholderValueError extends Error {
  constructor(
    message: string,
    readonly placeholder: string,
  ) {
    super(message);
    this.name = 'InvalidPlaceholderValueError';
  }
}
