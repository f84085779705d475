// @ts-check
// The raw bucket's S3 -> SQS notification rules: one per supported suffix under each dataset's prefix (an S3 filter
// holds one prefix and one suffix). S3 rejects rules whose prefixes and suffixes overlap, so a suffix that
// ends another one (".gz" next to ".csv.gz") is refused here, before CloudFormation would refuse it.
'use strict';

const { registry } = require('./registry.cjs');
const { refusingBadDatasets } = require('./package-time.cjs');

class NotificationRuleError extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'NotificationRuleError';
  }
}

/**
 * @param {string} prefix
 * @param {string[]} suffixes
 * @param {unknown} queueArn CloudFormation value of the queue ARN
 */
function queueConfigurations(prefix, suffixes, queueArn) {
  for (const a of suffixes) {
    for (const b of suffixes) {
      if (a !== b && a.endsWith(b)) throw new NotificationRuleError(`Suffix "${a}" overlaps "${b}"`);
    }
  }
  return suffixes.map((suffix) => ({
    Event: 's3:ObjectCreated:*',
    Queue: queueArn,
    Filter: {
      S3Key: {
        Rules: [
          { Name: 'prefix', Value: prefix },
          { Name: 'suffix', Value: suffix },
        ],
      },
    },
  }));
}

/** @param {import('./resolver-context.cjs').ResolverContext} context */
async function resolve({ resolveVariable }) {
  const supported = String(await resolveVariable('self:custom.supportedExtensions'));
  const suffixes = supported
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const queue = { 'Fn::GetAtt': ['ArrivalQueue', 'Arn'] };
  // The registry's prefixes never overlap, so neither do the rules of two datasets.
  return registry().flatMap((dataset) => queueConfigurations(dataset.raw.prefix, suffixes, queue));
}

module.exports = refusingBadDatasets(resolve);
module.exports.queueConfigurations = queueConfigurations;
module.exports.NotificationRuleError = NotificationRuleError;
