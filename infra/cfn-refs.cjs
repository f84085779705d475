// @ts-check
// CloudFormation values for the stack's own names, with account, region and partition left to Fn::Sub on pseudo
// parameters: ARNs in this account and region, the stack's buckets (`<prefix>-<account>-<region>`) and S3 URIs.
'use strict';

/** @param {string} text */
const sub = (text) => ({ 'Fn::Sub': text });
const arn = (/** @type {string} */ service, /** @type {string} */ resource) =>
  sub(`arn:\${AWS::Partition}:${service}:\${AWS::Region}:\${AWS::AccountId}:${resource}`);
const bucketArn = (/** @type {string} */ prefix, key = '') =>
  sub(`arn:\${AWS::Partition}:s3:::${prefix}-\${AWS::AccountId}-\${AWS::Region}${key === '' ? '' : `/${key}`}`);
const bucketUri = (/** @type {string} */ prefix, key = '') =>
  sub(`s3://${prefix}-\${AWS::AccountId}-\${AWS::Region}/${key}`);

module.exports = { sub, arn, bucketArn, bucketUri };
