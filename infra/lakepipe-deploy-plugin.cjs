// @ts-check
// Local serverless plugin (no install needed), three jobs:
// 1. `before:package:initialize`: refuse a stage that cannot name the buckets and the Glue database.
// 2. `after:deploy:deploy` and `serverless upload-glue-assets`: upload the Glue runner, job manifests and SQL
//    (infra/glue-assets.cjs) to the glue-assets bucket named in the stack outputs. The job reads them at run
//    time, so a deploy that changes only SQL still reaches the next run.
// 3. osls 4 removed the AWS SDK v2 `provider.request`, which serverless-step-functions still calls after
//    every deploy (CloudFormation describeStacks, to print endpoints). Without a replacement `serverless deploy`
//    would fail after the stack is already updated; the replacement answers that one call with SDK v3.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { namesFor } = require('./names.cjs');
const { glueAssetFiles } = require('./glue-assets.cjs');

const GLUE_ASSETS_OUTPUT = 'GlueAssetsBucketName';

class GlueAssetsUploadError extends Error {
  /** @param {string} message @param {unknown} [cause] */
  constructor(message, cause) {
    super(message, { cause });
    this.name = 'GlueAssetsUploadError';
  }
}

class UnsupportedRequestError extends Error {
  /** @param {string} service @param {string} method */
  constructor(service, method) {
    super(
      `provider.request('${service}', '${method}') is not available under osls; only CloudFormation describeStacks is`,
    );
    this.name = 'UnsupportedRequestError';
  }
}

/** The output value `key` of a DescribeStacks answer, or undefined. */
function stackOutput(describeStacksOutput, key) {
  const outputs = describeStacksOutput?.Stacks?.[0]?.Outputs ?? [];
  return outputs.find((o) => o.OutputKey === key)?.OutputValue;
}

class LakepipeDeployPlugin {
  /**
   * @param {any} serverless
   * @param {Record<string, unknown>} options
   * @param {{ log?: any }} [utils]
   */
  constructor(serverless, options, utils = {}) {
    this.serverless = serverless;
    this.options = options;
    this.provider = serverless.getProvider('aws');
    this.log = utils.log ?? { notice: console.log, info: console.log, warning: console.warn };
    this.commands = {
      'upload-glue-assets': {
        usage: "Uploads the Glue runner, job manifests and SQL to the deployed stack's glue-assets bucket",
        lifecycleEvents: ['upload'],
      },
    };
    this.hooks = {
      'before:package:initialize': () => this.checkStage(),
      'after:deploy:deploy': () => this.uploadGlueAssets(),
      'upload-glue-assets:upload': () => this.uploadGlueAssets(),
    };
    this.provider.request = (service, method, params) => this.request(service, method, params);
  }

  checkStage() {
    namesFor(String(this.provider.getStage()));
  }

  /** The SDK v2 style call serverless-step-functions makes, answered with the v3 client osls configures. */
  async request(service, method, params) {
    if (service !== 'CloudFormation' || method !== 'describeStacks') throw new UnsupportedRequestError(service, method);
    const { DescribeStacksCommand } = require('@aws-sdk/client-cloudformation');
    const client = await this.provider.getCloudFormationClient();
    return client.send(new DescribeStacksCommand(params));
  }

  /** @param {{ s3?: { send(command: unknown): Promise<unknown> } }} [deps] */
  async uploadGlueAssets(deps = {}) {
    const stackName = this.provider.naming.getStackName();
    let bucket;
    try {
      bucket = stackOutput(
        await this.request('CloudFormation', 'describeStacks', { StackName: stackName }),
        GLUE_ASSETS_OUTPUT,
      );
    } catch (error) {
      throw new GlueAssetsUploadError(`Could not read the outputs of stack ${stackName}`, error);
    }
    if (!bucket) throw new GlueAssetsUploadError(`Stack ${stackName} has no ${GLUE_ASSETS_OUTPUT} output`);
    const { S3Client, PutObjectCommand } = require('@aws-sdk/client-s3');
    const s3 = deps.s3 ?? new S3Client(await this.provider.getAwsSdkV3Config());
    const assets = glueAssetFiles(this.serverless.serviceDir ?? process.cwd());
    for (const asset of assets) {
      await s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: asset.key,
          Body: fs.readFileSync(asset.file),
          ContentType: asset.contentType,
        }),
      );
    }
    this.log.notice(
      `Uploaded ${assets.length} Glue assets to s3://${bucket}/ (${assets.map((a) => a.key).join(', ')})`,
    );
    return assets.map((a) => ({
      bucket,
      key: a.key,
      file: path.relative(this.serverless.serviceDir ?? process.cwd(), a.file),
    }));
  }
}

module.exports = LakepipeDeployPlugin;
module.exports.stackOutput = stackOutput;
module.exports.GlueAssetsUploadError = GlueAssetsUploadError;
module.exports.UnsupportedRequestError = UnsupportedRequestError;
