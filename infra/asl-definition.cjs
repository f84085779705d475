// @ts-check
// Loads state-machines/pipeline.asl.yml (the same file the local twin runs) for serverless-step-functions and
// turns each deploy-time placeholder into a CloudFormation reference. The file's `${...}` placeholders would
// otherwise be read as serverless variables; here they never reach the variable resolver as strings.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');

const ASL_FILE = path.join(__dirname, '..', 'state-machines', 'pipeline.asl.yml');

/** Placeholder -> the serverless function it names (logical id `<Name>LambdaFunction`). */
const PLACEHOLDER_FUNCTIONS = {
  ScreenFilesFunctionArn: 'screenFiles',
  CheckCatalogFunctionArn: 'checkCatalog',
  PrepareValidationsFunctionArn: 'prepareValidations',
  BuildNotificationFunctionArn: 'buildNotification',
};

const PLACEHOLDER = /\$\{([A-Za-z0-9_]+)\}/g;

class AslPlaceholderError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'AslPlaceholderError';
  }
}

/** serverless' logical id of a function: upper-case first letter + `LambdaFunction`. */
function lambdaLogicalId(functionName) {
  return `${functionName.charAt(0).toUpperCase()}${functionName.slice(1)}LambdaFunction`;
}

/** @param {string} name */
function referenceFor(name) {
  const fn = PLACEHOLDER_FUNCTIONS[name];
  if (fn === undefined) throw new AslPlaceholderError(`Unknown placeholder \${${name}} in ${ASL_FILE}`);
  return { 'Fn::GetAtt': [lambdaLogicalId(fn), 'Arn'] };
}

/**
 * Replaces placeholders anywhere in the definition: a string that is exactly one placeholder becomes the
 * reference itself; a string with placeholders inside other text becomes an Fn::Join.
 * @param {unknown} value
 * @returns {unknown}
 */
function resolvePlaceholders(value) {
  if (Array.isArray(value)) return value.map(resolvePlaceholders);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolvePlaceholders(v)]));
  }
  if (typeof value !== 'string' || !value.includes('${')) return value;
  const whole = /^\$\{([A-Za-z0-9_]+)\}$/.exec(value);
  if (whole?.[1] !== undefined) return referenceFor(whole[1]);
  /** @type {unknown[]} */
  const parts = [];
  let last = 0;
  for (const match of value.matchAll(PLACEHOLDER)) {
    const index = match.index ?? 0;
    if (index > last) parts.push(value.slice(last, index));
    parts.push(referenceFor(String(match[1])));
    last = index + match[0].length;
  }
  if (last < value.length) parts.push(value.slice(last));
  const rest = parts.filter((p) => typeof p === 'string').join('');
  if (rest.includes('${')) throw new AslPlaceholderError(`Malformed placeholder in "${value}"`);
  return { 'Fn::Join': ['', parts] };
}

/** @param {string} [file] */
function loadDefinition(file = ASL_FILE) {
  if (!fs.existsSync(file)) throw new AslPlaceholderError(`State machine definition ${file} does not exist`);
  return resolvePlaceholders(YAML.parse(fs.readFileSync(file, 'utf8')));
}

module.exports = () => loadDefinition();
module.exports.loadDefinition = loadDefinition;
module.exports.resolvePlaceholders = resolvePlaceholders;
module.exports.lambdaLogicalId = lambdaLogicalId;
module.exports.PLACEHOLDER_FUNCTIONS = PLACEHOLDER_FUNCTIONS;
module.exports.ASL_FILE = ASL_FILE;
module.exports.AslPlaceholderError = AslPlaceholderError;
