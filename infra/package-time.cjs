// @ts-check
// serverless prints an error thrown by a `${file(...)}` resolver with its stack, once per variable that uses
// it. A bad dataset is the user's input, not a bug: it is printed as one line naming file and field, and
// packaging stops there (exit 2, like any bad input to lakepipe).
'use strict';

const { DatasetConfigError } = require('./registry.cjs');

const BAD_CONFIGURATION_EXIT = 2;

/**
 * A resolver that reports a DatasetConfigError as one line and exits; any other error propagates.
 * @template {unknown[]} A
 * @template R
 * @param {(...args: A) => Promise<R>} resolver
 * @returns {(...args: A) => Promise<R>}
 */
function refusingBadDatasets(resolver) {
  return async (...args) => {
    try {
      return await resolver(...args);
    } catch (error) {
      if (!(error instanceof DatasetConfigError)) throw error;
      process.stderr.write(`${error.name}: ${error.message}\n`);
      process.exit(BAD_CONFIGURATION_EXIT);
    }
  };
}

module.exports = { refusingBadDatasets, BAD_CONFIGURATION_EXIT };
