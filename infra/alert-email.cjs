// @ts-check
// The alert subscription's address, from `--param alertEmail=<address>`. Checked here so a missing or
// mistyped address fails `serverless package` instead of a CloudFormation update halfway through.
'use strict';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

class AlertEmailError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'AlertEmailError';
  }
}

/** @param {unknown} value */
function checkAlertEmail(value) {
  if (typeof value !== 'string' || value.length === 0) {
    throw new AlertEmailError('Pass the alert address: --param alertEmail=<address>');
  }
  if (!EMAIL.test(value)) throw new AlertEmailError(`alertEmail "${value}" is not an email address`);
  return value;
}

async function resolve({ resolveVariable }) {
  return checkAlertEmail(await resolveVariable('param:alertEmail, null'));
}

module.exports = resolve;
module.exports.checkAlertEmail = checkAlertEmail;
module.exports.AlertEmailError = AlertEmailError;
