// The errors ScreenFiles throws, by name: the ASL's failure path and the notification show them.

export interface QuarantinedFile {
  key: string;
  reason: string;
  /** Where the file is now: s3://bucket/quarantine/<original key>; absent when it is nowhere to be found. */
  location?: string;
}

export class BadInputFile extends Error {
  constructor(
    message: string,
    readonly files: QuarantinedFile[],
  ) {
    super(message);
    this.name = 'BadInputFile';
  }
}

export class NothingToProcess extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NothingToProcess';
  }
}
