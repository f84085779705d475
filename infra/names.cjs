// @ts-check
// Every deploy-time name, derived from the stage in one place so serverless.yml, the resource files, the
// Lambda environment and the tests agree. Loaded by serverless as `${file(./infra/names.cjs)}`.
'use strict';

const SERVICE = 'lakepipe';
// Lowercase letters and digits only: the stage goes into S3 bucket names (63 characters at most, see
// below) and into the Glue database name, which must match ^[a-z_][a-z0-9_]*$.
const STAGE_PATTERN = /^[a-z][a-z0-9]{0,9}$/;

class StageNameError extends Error {
  /** @param {string} stage */
  constructor(stage) {
    super(
      `Stage "${stage}" is not usable: it must match ${STAGE_PATTERN} (lowercase letters and digits, at most 10), ` +
        'because it becomes part of S3 bucket names and of the Glue database name.',
    );
    this.name = 'StageNameError';
  }
}

/**
 * @param {string} stage
 */
function namesFor(stage) {
  if (!STAGE_PATTERN.test(stage)) throw new StageNameError(stage);
  const prefix = `${SERVICE}-${stage}`;
  return {
    service: SERVICE,
    stage,
    prefix,
    // Bucket names get `-<account>-<region>` appended in the template (Fn::Sub) so they are globally unique:
    // lakepipe-<stage 10>-athena-results-<account 12>-<region up to 14> is at most 62 of S3's 63 characters.
    rawBucketPrefix: `${prefix}-raw`,
    curatedBucketPrefix: `${prefix}-curated`,
    athenaResultsBucketPrefix: `${prefix}-athena-results`,
    glueAssetsBucketPrefix: `${prefix}-glue-assets`,
    database: `${SERVICE}_${stage}`,
    workgroup: `${prefix}`,
    topic: `${prefix}-alerts`,
    stateMachine: `${prefix}-pipeline`,
    queue: `${prefix}-arrivals`,
    deadLetterQueue: `${prefix}-arrivals-dlq`,
    keyAlias: `alias/${prefix}`,
    stateMachineLogGroup: `/aws/vendedlogs/states/${prefix}-pipeline`,
    rawPrefix: 'raw/',
  };
}

/** serverless variable resolver entry: `${file(./infra/names.cjs)}`. */
async function resolve({ resolveVariable }) {
  const stage = await resolveVariable('sls:stage');
  return namesFor(String(stage));
}

module.exports = resolve;
module.exports.namesFor = namesFor;
module.exports.StageNameError = StageNameError;
module.exports.STAGE_PATTERN = STAGE_PATTERN;
