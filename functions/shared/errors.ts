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
