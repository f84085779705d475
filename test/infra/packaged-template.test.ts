// The CloudFormation that `serverless package` writes, checked against the issue's deployment rules.
// Packaging runs once (beforeAll); every test reads the same template and zips.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import aslValidator from 'asl-validator';
import YAML from 'yaml';
import { loadPrepareValidationsConfig } from '../../functions/prepare-validations/app';
import { loadScreenFilesConfig } from '../../functions/screen-files/app';
import { loadStartPipelineConfig } from '../../functions/start-pipeline/app';
import { lambdaLogicalId, PLACEHOLDER_FUNCTIONS } from '../../infra/asl-definition.cjs';
import { registry } from '../../infra/registry.cjs';
import { readDeployment } from '../../local/twin/deployment';
import {
  ACCOUNT,
  asArray,
  createResolver,
  type LabelledStatement,
  logicalIdOf,
  policyStatements,
  resolveDeep,
} from './cfn-values';
import {
  ALERT_EMAIL,
  type Cfn,
  OSLS_BIN,
  type PackagedService,
  packageService,
  REGION,
  REPO_ROOT,
  STAGE,
} from './package-service';

// Allow statements that may use Resource "*", each with the reason AWS offers nothing narrower.
const RESOURCE_STAR_EXCEPTIONS: Record<string, string> = {
  'StateMachineRole/XRayTracing': 'X-Ray trace and sampling actions support no resource-level permissions',
  'StateMachineRole/ExecutionLogDelivery':
    'CloudWatch Logs vended-log delivery actions (Step Functions logging) support only "*"',
  // Every dataset's job role, so a new dataset folder is covered.
  ...Object.fromEntries(
    registry().map((d) => [
      `${logicalIdOf(d.name)}JobRole/JobMetrics`,
      'cloudwatch:PutMetricData has no resources; narrowed by the cloudwatch:namespace condition',
    ]),
  ),
  'StateMachineRole/LakeFormationDataAccess': 'lakeformation:GetDataAccess supports no resource-level permissions',
  'PipelineKey/AccountAdministersKeyThroughIam': 'in a key policy, "*" means this key only',
  'PipelineKey/CloudWatchAlarmsPublishToEncryptedTopic': 'in a key policy, "*" means this key only',
};
// Allow statements that may use a wildcard action.
const ACTION_WILDCARD_EXCEPTIONS: Record<string, string> = {
  'PipelineKey/AccountAdministersKeyThroughIam':
    "AWS's default key policy statement: without it the account can lock itself out of the key",
};

const PLACEHOLDER_LOGICAL_IDS: Record<string, string> = Object.fromEntries(
  Object.entries(PLACEHOLDER_FUNCTIONS).map(([placeholder, fn]) => [placeholder, lambdaLogicalId(fn)]),
);

const FUNCTIONS: Record<string, { logicalId: string; entry: string }> = {
  startPipeline: { logicalId: 'StartPipelineLambdaFunction', entry: 'functions/start-pipeline/handler.js' },
  screenFiles: { logicalId: 'ScreenFilesLambdaFunction', entry: 'functions/screen-files/handler.js' },
  checkCatalog: { logicalId: 'CheckCatalogLambdaFunction', entry: 'functions/check-catalog/handler.js' },
  prepareValidations: {
    logicalId: 'PrepareValidationsLambdaFunction',
    entry: 'functions/prepare-validations/handler.js',
  },
  buildNotification: { logicalId: 'BuildNotificationLambdaFunction', entry: 'functions/build-notification/handler.js' },
};

const ONE_MB = 1024 * 1024;
const bucketName = (suffix: string) => `lakepipe-${STAGE}-${suffix}-${ACCOUNT}-${REGION}`;
const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;

let packaged: PackagedService;
let resources: Record<string, Cfn>;
let resolver: ReturnType<typeof createResolver>;
let statements: LabelledStatement[];

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
/** The one resource of `type`; more or fewer is a failure of its own. */
const only = (type: string): Cfn => {
  const found = ofType(type);
  expect(found.map(([id]) => id)).toHaveLength(1);
  return found[0]?.[1];
};
const allows = () => statements.filter((s) => s.statement.Effect === 'Allow');
const resolvedResources = (s: LabelledStatement) => asArray<Cfn>(s.statement.Resource).map((r) => resolver.resolve(r));
const roleStatements = (roleId: string) => allows().filter((s) => s.label.startsWith(`${roleId}/`));

/** True when some Allow statement of `roleId` grants every one of `actions` on `resource`. */
function roleGrants(roleId: string, actions: string[], resource: string): boolean {
  return roleStatements(roleId).some(
    (s) =>
      actions.every((a) => asArray<string>(s.statement.Action).includes(a)) &&
      resolvedResources(s).includes(resource) &&
      s.statement.Condition === undefined,
  );
}

beforeAll(() => {
  packaged = packageService();
  resources = packaged.template.Resources;
  resolver = createResolver(resources, REGION);
  statements = policyStatements(resources);
}, 240_000);

afterAll(() => {
  if (packaged !== undefined) rmSync(packaged.dir, { recursive: true, force: true });
});

describe('the CLI', () => {
  it('is osls (Serverless Framework v3 line), both as `npx serverless` and as the test runs it', () => {
    // Prepare
    const npxTarget = realpathSync(path.join(REPO_ROOT, 'node_modules', '.bin', 'serverless'));
    // Act
    const version = spawnSync(process.execPath, [OSLS_BIN, '--version'], { encoding: 'utf8' });
    // Assess
    expect(npxTarget).toBe(realpathSync(OSLS_BIN));
    expect(version.stdout).toMatch(/osls version: 4\./);
  });

  it('packaged without network access where the OS allows a private network namespace', () => {
    // Prepare / Act: beforeAll packaged the service
    // Assess
    process.stdout.write(
      `serverless package: ${packaged.seconds.toFixed(1)} s, network ${packaged.networkIsolated ? 'isolated (unshare -rn)' : 'NOT isolated (unshare unavailable)'}\n`,
    );
    expect(packaged.output).toMatch(/Service packaged/);
  });
});

describe('IAM', () => {
  it('grants no wildcard action, except the listed key-policy statement', () => {
    // Prepare
    const wildcard = allows().filter((s) => asArray<string>(s.statement.Action).some((a) => a.includes('*')));
    // Act
    const labels = wildcard.map((s) => s.label).sort();
    // Assess
    expect(labels).toEqual(Object.keys(ACTION_WILDCARD_EXCEPTIONS).sort());
    expect(
      allows().filter((s) => s.statement.NotAction !== undefined || s.statement.NotResource !== undefined),
    ).toEqual([]);
  });

  it('uses Resource "*" only where AWS offers no narrower resource', () => {
    // Prepare
    const star = allows().filter((s) => asArray<Cfn>(s.statement.Resource).includes('*'));
    // Act
    const labels = star.map((s) => s.label).sort();
    // Assess
    expect(labels).toEqual(Object.keys(RESOURCE_STAR_EXCEPTIONS).sort());
  });

  it('gives every function its own role, with logs only to its own log group', () => {
    // Prepare
    const functions = ofType('AWS::Lambda::Function');
    // Act
    const roles = functions.map(([, fn]) => fn.Properties.Role['Fn::GetAtt'][0]);
    // Assess
    expect(new Set(roles).size).toBe(functions.length);
    for (const [id, fn] of functions) {
      const role = fn.Properties.Role['Fn::GetAtt'][0];
      const logGroup = `${id.replace(/LambdaFunction$/, '')}LogGroup`;
      expect(roleGrants(role, ['logs:CreateLogStream', 'logs:PutLogEvents'], resolver.getAtt(logGroup, 'Arn'))).toBe(
        true,
      );
      const logResources = roleStatements(role)
        .filter((s) => asArray<string>(s.statement.Action).some((a) => a.startsWith('logs:')))
        .flatMap(resolvedResources);
      expect(logResources).toEqual([resolver.getAtt(logGroup, 'Arn')]);
    }
  });

  it('lets start-pipeline start executions of its state machine and the crawler, nothing else but its queue', () => {
    // Prepare
    const role = 'StartPipelineRole';
    // Act
    const actions = roleStatements(role).flatMap((s) => asArray<string>(s.statement.Action));
    // Assess
    expect(roleGrants(role, ['states:StartExecution'], arn('states', 'stateMachine:lakepipe-test-pipeline'))).toBe(
      true,
    );
    expect(roleGrants(role, ['glue:StartCrawler'], arn('glue', 'crawler/lakepipe-test-customer-transactions'))).toBe(
      true,
    );
    expect(
      roleGrants(
        role,
        ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:GetQueueAttributes'],
        arn('sqs', 'lakepipe-test-arrivals'),
      ),
    ).toBe(true);
    expect(actions.filter((a) => !a.startsWith('logs:')).sort()).toEqual(
      [
        'glue:StartCrawler',
        'sqs:DeleteMessage',
        'sqs:GetQueueAttributes',
        'sqs:ReceiveMessage',
        'states:StartExecution',
      ].sort(),
    );
  });

  it('lets check-catalog read and start only the crawler and read and record the raw table; the other task functions call no AWS API', () => {
    // Prepare
    const nonLogActions = (role: string) =>
      roleStatements(role)
        .flatMap((s) => asArray<string>(s.statement.Action))
        .filter((a) => !a.startsWith('logs:'));
    // Act
    const checkCatalog = nonLogActions('CheckCatalogRole');
    // Assess
    expect(checkCatalog.sort()).toEqual(['glue:GetCrawler', 'glue:GetTable', 'glue:StartCrawler', 'glue:UpdateTable']);
    expect(
      roleGrants(
        'CheckCatalogRole',
        ['glue:GetCrawler', 'glue:StartCrawler'],
        arn('glue', 'crawler/lakepipe-test-customer-transactions'),
      ),
    ).toBe(true);
    for (const resource of ['catalog', 'database/lakepipe_test', 'table/lakepipe_test/customer_transactions']) {
      expect(roleGrants('CheckCatalogRole', ['glue:GetTable', 'glue:UpdateTable'], arn('glue', resource))).toBe(true);
    }
    // Raw tables only: a curated table's metadata is the job's.
    expect(
      roleGrants('CheckCatalogRole', ['glue:UpdateTable'], arn('glue', 'table/lakepipe_test/transactions_enriched')),
    ).toBe(false);
    expect(nonLogActions('PrepareValidationsRole')).toEqual([]);
    expect(nonLogActions('BuildNotificationRole')).toEqual([]);
  });

  it('lets screen-files move raw files to quarantine/ and nowhere else', () => {
    // Prepare
    const writes = roleStatements('ScreenFilesRole').filter((s) =>
      asArray<string>(s.statement.Action).some((a) => a === 's3:PutObject' || a === 's3:DeleteObject'),
    );
    // Act
    const written = writes.flatMap((s) =>
      resolvedResources(s).map((r) => `${asArray<string>(s.statement.Action).join('+')} ${r}`),
    );
    // Assess
    expect(written.sort()).toEqual(
      [
        ...registry().map((d) => `s3:GetObject+s3:DeleteObject arn:aws:s3:::${bucketName('raw')}/${d.raw.prefix}*`),
        `s3:GetObject+s3:PutObject arn:aws:s3:::${bucketName('raw')}/quarantine/*`,
      ].sort(),
    );
  });

  it('grants each function every AWS call its source makes through a port', () => {
    // Prepare: port operation -> IAM action(s), for the operations the ports expose
    const s3Actions: Record<string, string[]> = {
      getObject: ['s3:GetObject'],
      headObject: ['s3:GetObject'],
      putObject: ['s3:PutObject'],
      copyObject: ['s3:GetObject', 's3:PutObject'],
      deleteObject: ['s3:DeleteObject'],
      listObjectsV2: ['s3:ListBucket'],
    };
    const iamActions = (port: string, operation: string): string[] => {
      const upper = `${operation.charAt(0).toUpperCase()}${operation.slice(1)}`;
      if (port === 's3') return s3Actions[operation] ?? [`s3:unmapped-${operation}`];
      return [`${port === 'sfn' ? 'states' : port}:${upper}`];
    };
    // Act
    const missing = Object.values(FUNCTIONS).flatMap(({ logicalId, entry }) => {
      const dir = path.join(REPO_ROOT, path.dirname(entry));
      const source = readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => readFileSync(path.join(dir, f), 'utf8'))
        .join('\n');
      const calls = [...source.matchAll(/\b(glue|s3|sfn|athena|sns)\.(\w+)\(/g)];
      const role = resources[logicalId].Properties.Role['Fn::GetAtt'][0];
      const granted = new Set(roleStatements(role).flatMap((s) => asArray<string>(s.statement.Action)));
      return calls.flatMap(([, port = '', op = '']) =>
        iamActions(port, op)
          .filter((action) => !granted.has(action))
          .map((action) => `${logicalId} calls ${port}.${op}: ${action} not granted`),
      );
    });
    // Assess
    expect(missing).toEqual([]);
  });

  it('grants the state machine role each Task of the ASL on its own resource', () => {
    // Prepare
    const definition = YAML.parse(readFileSync(path.join(REPO_ROOT, 'state-machines/pipeline.asl.yml'), 'utf8'));
    const taskResources = new Set<string>();
    const walk = (states: Record<string, Cfn>) => {
      for (const state of Object.values(states)) {
        if (state.Type === 'Task') taskResources.add(state.Resource);
        if (state.ItemProcessor?.States) walk(state.ItemProcessor.States);
        if (state.Iterator?.States) walk(state.Iterator.States);
        for (const branch of state.Branches ?? []) walk(branch.States);
      }
    };
    walk(definition.States);
    const workgroup = arn('athena', 'workgroup/lakepipe-test');
    const required: Record<string, [string[], string][]> = {
      'arn:aws:states:::glue:startJobRun.sync': [
        [
          ['glue:StartJobRun', 'glue:GetJobRun', 'glue:GetJobRuns', 'glue:BatchStopJobRun'],
          arn('glue', 'job/lakepipe-test-customer-analytics'),
        ],
      ],
      'arn:aws:states:::athena:startQueryExecution.sync': [
        [['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:StopQueryExecution'], workgroup],
        [['s3:PutObject', 's3:GetObject'], `arn:aws:s3:::${bucketName('athena-results')}/results/*`],
        [['glue:GetTable', 'glue:GetPartitions'], arn('glue', 'table/lakepipe_test/*')],
      ],
      'arn:aws:states:::aws-sdk:athena:getQueryResults': [[['athena:GetQueryResults'], workgroup]],
      'arn:aws:states:::sns:publish': [[['sns:Publish'], arn('sns', 'lakepipe-test-alerts')]],
    };
    for (const [placeholder, logicalId] of Object.entries(PLACEHOLDER_LOGICAL_IDS)) {
      required[`\${${placeholder}}`] = [[['lambda:InvokeFunction'], resolver.getAtt(logicalId, 'Arn')]];
    }
    // Act
    const missing = [...taskResources].flatMap((resource) => {
      const needs = required[resource];
      if (needs === undefined) return [`${resource}: no IAM expectation (add it to state-machine.yml and here)`];
      return needs
        .filter(([actions, on]) => !roleGrants('StateMachineRole', actions, on))
        .map(([actions, on]) => `${resource}: ${actions.join(',')} on ${on}`);
    });
    // Assess
    expect(taskResources.size).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });

  it('lets the Glue job drop the partitions of a table it overwrites, and delete nothing else in the catalog', () => {
    // Act
    const glueActions = roleStatements('CustomerTransactionsJobRole').flatMap((s) =>
      asArray<string>(s.statement.Action).filter((a) => a.startsWith('glue:')),
    );
    // Assess
    expect(glueActions).toContain('glue:BatchDeletePartition');
    expect(glueActions.filter((a) => a.includes('Delete'))).toEqual(['glue:BatchDeletePartition']);
  });

  it('lets Glue roles touch only their buckets and prefixes', () => {
    // Prepare
    const s3Resources = (role: string) =>
      roleStatements(role)
        .filter((s) => asArray<string>(s.statement.Action).some((a) => a.startsWith('s3:')))
        .flatMap(resolvedResources);
    // Act
    const crawler = [...new Set(s3Resources('CustomerTransactionsCrawlerRole'))].sort();
    const job = [...new Set(s3Resources('CustomerTransactionsJobRole'))].sort();
    // Assess
    expect(crawler).toEqual(
      [`arn:aws:s3:::${bucketName('raw')}`, `arn:aws:s3:::${bucketName('raw')}/raw/customer_transactions/*`].sort(),
    );
    const assets = `arn:aws:s3:::${bucketName('glue-assets')}`;
    const curated = `arn:aws:s3:::${bucketName('curated')}`;
    expect(job).toEqual(
      [
        `arn:aws:s3:::${bucketName('raw')}`,
        `arn:aws:s3:::${bucketName('raw')}/raw/customer_transactions/*`,
        curated,
        ...[
          'ingest_audit',
          'rejected_transactions',
          'transactions_enriched',
          'customer_transaction_metrics',
          'customer_segments',
        ].map((table) => `${curated}/${table}/*`),
        assets,
        `${assets}/runner/*`,
        `${assets}/jobs/customer-analytics/*`,
        `${assets}/temporary/customer-analytics/*`,
        `${assets}/spark-event-logs/customer-analytics/*`,
      ].sort(),
    );
  });
});

describe('buckets', () => {
  it('are all encrypted, fully public-access-blocked and TLS-only', () => {
    // Prepare
    const buckets = ofType('AWS::S3::Bucket');
    const policies = ofType('AWS::S3::BucketPolicy').map(([, p]) => p.Properties);
    // Act / Assess
    expect(buckets.map(([id]) => id).sort()).toEqual(
      ['AthenaResultsBucket', 'CuratedBucket', 'GlueAssetsBucket', 'RawBucket', 'ServerlessDeploymentBucket'].sort(),
    );
    for (const [id, bucket] of buckets) {
      const sse = bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault;
      if (id === 'ServerlessDeploymentBucket') {
        expect(sse.SSEAlgorithm).toBe('AES256');
      } else {
        expect(sse).toEqual({ SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': ['PipelineKey', 'Arn'] } });
      }
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      const policy = policies.find((p) => p.Bucket.Ref === id);
      const tlsDeny = asArray<Cfn>(policy?.PolicyDocument.Statement).find(
        (s) => s.Effect === 'Deny' && String(s.Condition?.Bool?.['aws:SecureTransport']) === 'false',
      );
      expect(tlsDeny).toBeDefined();
      const name = resolver.ref(id);
      expect(asArray<Cfn>(tlsDeny.Action)).toContain('s3:*');
      expect(
        asArray<Cfn>(tlsDeny.Resource)
          .map((r) => resolver.resolve(r))
          .sort(),
      ).toEqual([`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`].sort());
    }
  });

  it('name the raw, curated, athena-results and glue-assets buckets per stage, account and region', () => {
    // Prepare / Act
    const names = ['RawBucket', 'CuratedBucket', 'AthenaResultsBucket', 'GlueAssetsBucket'].map((id) =>
      resolver.ref(id),
    );
    // Assess
    expect(names).toEqual([
      bucketName('raw'),
      bucketName('curated'),
      bucketName('athena-results'),
      bucketName('glue-assets'),
    ]);
  });

  it('version the raw bucket and expire Athena results', () => {
    // Prepare
    const raw = resources.RawBucket.Properties;
    const athena = resources.AthenaResultsBucket.Properties;
    // Act
    const expiry = athena.LifecycleConfiguration.Rules.find((r: Cfn) => r.ExpirationInDays !== undefined);
    // Assess
    expect(raw.VersioningConfiguration.Status).toBe('Enabled');
    expect(expiry.ExpirationInDays).toBe(30);
    expect(expiry.Status).toBe('Enabled');
  });

  it("notify the queue of objects created under each dataset's prefix with each supported suffix, from the raw bucket only", () => {
    // Prepare
    const rules = resources.RawBucket.Properties.NotificationConfiguration.QueueConfigurations;
    const policy = resources.ArrivalQueuePolicy.Properties.PolicyDocument.Statement;
    // Act
    const filters = rules.map((r: Cfn) => {
      expect(r.Event).toBe('s3:ObjectCreated:*');
      expect(resolver.resolve(r.Queue)).toBe(arn('sqs', 'lakepipe-test-arrivals'));
      const byName = Object.fromEntries(r.Filter.S3Key.Rules.map((x: Cfn) => [x.Name, x.Value]));
      return `${byName.prefix}*${byName.suffix}`;
    });
    // Assess
    // Every suffix under every prefix, whatever the dataset's formats: screen-files quarantines a format the
    // dataset does not accept, with the reason, rather than the file going unnoticed.
    expect(filters.sort()).toEqual(
      registry()
        .flatMap((d) =>
          ['.csv', '.csv.gz', '.json', '.jsonl', '.json.gz', '.parquet'].map((s) => `${d.raw.prefix}*${s}`),
        )
        .sort(),
    );
    expect(resources.RawBucket.DependsOn).toContain('ArrivalQueuePolicy');
    const allowsS3 = asArray<Cfn>(policy).filter((s) => s.Effect === 'Allow');
    expect(allowsS3).toHaveLength(1);
    expect(allowsS3[0].Principal).toEqual({ Service: 's3.amazonaws.com' });
    expect(allowsS3[0].Action).toBe('sqs:SendMessage');
    expect(resolver.resolve(allowsS3[0].Condition.ArnEquals['aws:SourceArn'])).toBe(
      `arn:aws:s3:::${bucketName('raw')}`,
    );
    expect(resolver.resolve(allowsS3[0].Condition.StringEquals['aws:SourceAccount'])).toBe(ACCOUNT);
  });
});

describe('queue', () => {
  it('is encrypted and sends a message to the encrypted DLQ after 5 receives', () => {
    // Prepare
    const queue = resources.ArrivalQueue.Properties;
    const dlq = resources.ArrivalDeadLetterQueue.Properties;
    // Act
    const redrive = queue.RedrivePolicy;
    // Assess
    expect(queue.SqsManagedSseEnabled).toBe(true);
    expect(dlq.SqsManagedSseEnabled).toBe(true);
    expect(redrive.maxReceiveCount).toBe(5);
    expect(resolver.resolve(redrive.deadLetterTargetArn)).toBe(arn('sqs', 'lakepipe-test-arrivals-dlq'));
  });

  it('feeds start-pipeline in batches with partial-batch failures, at most 5 at a time', () => {
    // Prepare
    const mapping = only('AWS::Lambda::EventSourceMapping');
    const fn = resources.StartPipelineLambdaFunction.Properties;
    // Act
    const props = mapping.Properties;
    // Assess
    expect(resolver.resolve(props.EventSourceArn)).toBe(arn('sqs', 'lakepipe-test-arrivals'));
    expect(resolver.resolve(props.FunctionName)).toBe(arn('lambda', 'function:lakepipe-test-startPipeline'));
    expect(props.BatchSize).toBe(10);
    expect(props.MaximumBatchingWindowInSeconds).toBe(5);
    expect(props.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
    // The event source mapping ignores reserved concurrency; its own maximum keeps throttled batches off the DLQ.
    expect(props.ScalingConfig).toEqual({ MaximumConcurrency: 5 });
    expect(fn.ReservedConcurrentExecutions).toBeUndefined();
    // A message must not reappear while a batch is still being handled.
    expect(resources.ArrivalQueue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * fn.Timeout);
  });
});

describe('topic', () => {
  it('is encrypted with the pipeline key and has the email subscription from --param alertEmail', () => {
    // Prepare
    const topic = resources.AlertTopic.Properties;
    const subscription = only('AWS::SNS::Subscription');
    // Act / Assess
    expect(topic.KmsMasterKeyId).toEqual({ 'Fn::GetAtt': ['PipelineKey', 'Arn'] });
    expect(subscription.Properties.Protocol).toBe('email');
    expect(subscription.Properties.Endpoint).toBe(ALERT_EMAIL);
    expect(subscription.Properties.TopicArn).toEqual({ Ref: 'AlertTopic' });
    // CloudWatch alarms can publish to a KMS-encrypted topic only when the key policy lets CloudWatch use it.
    const cloudwatch = statements.find((s) => s.label === 'PipelineKey/CloudWatchAlarmsPublishToEncryptedTopic');
    expect(asArray(cloudwatch?.statement.Action).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey']);
    expect(resources.PipelineKey.Properties.EnableKeyRotation).toBe(true);
  });
});

describe('state machine', () => {
  it('is the ASL file with every placeholder resolved to its function, none left', () => {
    // Prepare
    const machine = only('AWS::StepFunctions::StateMachine');
    const [body, variables] = machine.Properties.DefinitionString['Fn::Sub'];
    const aslText = readFileSync(path.join(REPO_ROOT, 'state-machines/pipeline.asl.yml'), 'utf8');
    const placeholders = new Set([...aslText.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1]));
    const expected = JSON.parse(
      JSON.stringify(YAML.parse(aslText), (_key, value) => {
        const m = typeof value === 'string' ? /^\$\{([A-Za-z0-9_]+)\}$/.exec(value) : null;
        return m?.[1] !== undefined ? { 'Fn::GetAtt': [PLACEHOLDER_LOGICAL_IDS[m[1]], 'Arn'] } : value;
      }),
    );
    // Act
    const deployed = JSON.parse(body, (_key, value) => {
      const m = typeof value === 'string' ? /^\$\{([A-Za-z0-9]+)\}$/.exec(value) : null;
      return m?.[1] !== undefined && variables[m[1]] !== undefined ? variables[m[1]] : value;
    });
    // Assess
    expect([...placeholders].sort()).toEqual(Object.keys(PLACEHOLDER_LOGICAL_IDS).sort());
    expect(deployed).toEqual(expected);
    expect(JSON.stringify(deployed)).not.toContain('${');
  });

  it('is valid ASL once the functions have ARNs', () => {
    // Prepare
    const machine = only('AWS::StepFunctions::StateMachine');
    // Act
    const definition = JSON.parse(resolver.resolve(machine.Properties.DefinitionString));
    const { isValid, errorsText } = aslValidator(definition);
    // Assess
    expect(errorsText()).toBe('');
    expect(isValid).toBe(true);
    expect(definition.States.ScreenFiles.Resource).toBe(
      `arn:aws:lambda:${REGION}:${ACCOUNT}:function:lakepipe-test-screenFiles`,
    );
  });

  it('is a named STANDARD machine with its own role, X-Ray tracing and logging to a retained log group', () => {
    // Prepare
    const machine = only('AWS::StepFunctions::StateMachine');
    const props = machine.Properties;
    // Act
    const destination = props.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn;
    // Assess
    expect(props.StateMachineName).toBe('lakepipe-test-pipeline');
    expect(props.StateMachineType).toBe('STANDARD');
    expect(props.RoleArn).toEqual({ 'Fn::GetAtt': ['StateMachineRole', 'Arn'] });
    expect(props.TracingConfiguration).toEqual({ Enabled: true });
    expect(props.LoggingConfiguration.Level).toBe('ALL');
    expect(destination).toEqual({ 'Fn::GetAtt': ['StateMachineLogGroup', 'Arn'] });
    expect(resources.StateMachineLogGroup.Properties.RetentionInDays).toBe(30);
  });
});

describe('logs and alarms', () => {
  it('keep every log group for 30 days', () => {
    // Prepare
    const groups = ofType('AWS::Logs::LogGroup');
    // Act
    const retention = Object.fromEntries(groups.map(([id, g]) => [id, g.Properties.RetentionInDays]));
    // Assess
    expect(groups).toHaveLength(Object.keys(FUNCTIONS).length + 1);
    for (const days of Object.values(retention)) expect(days).toBe(30);
  });

  it('alarm to the topic on failed and timed-out executions, DLQ depth above zero and each function’s errors', () => {
    // Prepare
    const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    // Act
    const watched = alarms.map((a) => {
      expect(a.AlarmActions).toEqual([{ Ref: 'AlertTopic' }]);
      expect(a.ComparisonOperator).toBe('GreaterThanThreshold');
      expect(a.Threshold).toBe(0);
      const dimension = a.Dimensions[0];
      return `${a.Namespace} ${a.MetricName} ${dimension.Name}=${resolver.resolve(dimension.Value)}`;
    });
    // Assess
    const machineArn = arn('states', 'stateMachine:lakepipe-test-pipeline');
    expect(watched.sort()).toEqual(
      [
        `AWS/States ExecutionsFailed StateMachineArn=${machineArn}`,
        `AWS/States ExecutionsTimedOut StateMachineArn=${machineArn}`,
        'AWS/SQS ApproximateNumberOfMessagesVisible QueueName=lakepipe-test-arrivals-dlq',
        ...Object.keys(FUNCTIONS).map((name) => `AWS/Lambda Errors FunctionName=lakepipe-test-${name}`),
      ].sort(),
    );
  });
});

describe('Glue and Athena', () => {
  it('runs the job on Glue 5.0 with bookmarks, metrics, Spark UI and the manifest location', () => {
    // Prepare
    const job = resources.CustomerTransactionsJob.Properties;
    // Act
    const args = Object.fromEntries(
      Object.entries(job.DefaultArguments as Record<string, Cfn>).map(([k, v]) => [k, resolver.resolve(v)]),
    );
    // Assess
    const assets = `s3://${bucketName('glue-assets')}`;
    expect(job.GlueVersion).toBe('5.0');
    expect(job.Command.Name).toBe('glueetl');
    expect(resolver.resolve(job.Command.ScriptLocation)).toBe(`${assets}/runner/lakepipe_runner.py`);
    expect(job.WorkerType).toBe('G.1X');
    expect(job.NumberOfWorkers).toBe(2);
    expect(job.ExecutionProperty.MaxConcurrentRuns).toBe(1);
    expect(job.Timeout).toBe(60);
    expect(args).toMatchObject({
      '--curated_location': `s3://${bucketName('curated')}/`,
      '--manifest_s3_uri': `${assets}/jobs/customer-analytics/job.yml`,
      '--extra-py-files': `${assets}/runner/lakepipe_manifest.py,${assets}/runner/lakepipe_yaml.py`,
      '--job-bookmark-option': 'job-bookmark-enable',
      '--enable-metrics': 'true',
      '--enable-spark-ui': 'true',
      '--spark-event-logs-path': `${assets}/spark-event-logs/customer-analytics/`,
      '--TempDir': `${assets}/temporary/customer-analytics/`,
      '--enable-glue-datacatalog': 'true',
    });
    // The state machine passes these per run; a default would hide a missing argument.
    for (const perRun of ['--run_id', '--database', '--source_table']) expect(args[perRun]).toBeUndefined();
    // Glue 5.0 logs to /aws-glue/jobs/output and /error; continuous logging is a Glue 4.0 flag.
    expect(args['--enable-continuous-cloudwatch-log']).toBeUndefined();
    // as_of falls back to the manifest's `default: run_date` only when the argument is absent; a default
    // argument would reach the runner as the literal text "run_date".
    expect(args['--as_of']).toBeUndefined();
  });

  it('crawls the dataset prefix into the stage database without ever deleting catalog metadata', () => {
    // Prepare
    const crawler = resources.CustomerTransactionsCrawler.Properties;
    // Act
    const paths = crawler.Targets.S3Targets.map((t: Cfn) => resolver.resolve(t.Path));
    // Assess
    expect(crawler.Name).toBe('lakepipe-test-customer-transactions');
    expect(paths).toEqual([`s3://${bucketName('raw')}/raw/customer_transactions/`]);
    expect(resolver.resolve(crawler.DatabaseName)).toBe('lakepipe_test');
    expect(crawler.SchemaChangePolicy).toEqual({ UpdateBehavior: 'UPDATE_IN_DATABASE', DeleteBehavior: 'LOG' });
    expect(crawler.Schedule).toBeUndefined();
    expect(JSON.parse(crawler.Configuration).Grouping.TableLevelConfiguration).toBe(3);
  });

  it('enforces the workgroup result location, KMS encryption and a bytes-scanned cutoff', () => {
    // Prepare
    const config = resources.ValidationWorkGroup.Properties.WorkGroupConfiguration;
    // Act
    const result = config.ResultConfiguration;
    // Assess
    expect(config.EnforceWorkGroupConfiguration).toBe(true);
    expect(config.BytesScannedCutoffPerQuery).toBe(1073741824);
    expect(resolver.resolve(result.OutputLocation)).toBe(`s3://${bucketName('athena-results')}/results/`);
    expect(result.EncryptionConfiguration.EncryptionOption).toBe('SSE_KMS');
  });
});

describe('functions', () => {
  it('run on nodejs22.x (arm64)', () => {
    // Prepare
    const functions = ofType('AWS::Lambda::Function');
    // Act / Assess
    expect(functions.map(([id]) => id).sort()).toEqual(
      Object.values(FUNCTIONS)
        .map((f) => f.logicalId)
        .sort(),
    );
    for (const [, fn] of functions) {
      expect(fn.Properties.Runtime).toBe('nodejs22.x');
      expect(fn.Properties.Architectures).toEqual(['arm64']);
      expect(fn.Properties.Environment.Variables.NODE_OPTIONS).toBe('--enable-source-maps');
    }
  });

  it('get an environment their own config loaders accept, naming the stack’s resources', () => {
    // Prepare
    const env = (id: string): Record<string, string> =>
      Object.fromEntries(
        Object.entries(resources[id].Properties.Environment.Variables as Record<string, Cfn>).map(([k, v]) => [
          k,
          resolver.resolve(v),
        ]),
      );
    // Act
    const start = loadStartPipelineConfig(env('StartPipelineLambdaFunction'));
    const screen = loadScreenFilesConfig(env('ScreenFilesLambdaFunction'));
    const prepare = loadPrepareValidationsConfig(env('PrepareValidationsLambdaFunction'));
    // Assess
    expect(start.stateMachineArn).toBe(arn('states', 'stateMachine:lakepipe-test-pipeline'));
    expect(start.rawBucket).toBe(bucketName('raw'));
    expect(start.datasets).toEqual([
      {
        dataset: 'customer_profiles',
        prefix: 'raw/customer_profiles/',
        database: 'lakepipe_test',
        crawler: 'lakepipe-test-customer-profiles',
        job: 'lakepipe-test-customer-profiles',
        workgroup: 'lakepipe-test',
        validations: ['rows_written', 'no_null_keys', 'one_profile_per_customer', 'no_clear_email', 'rows_reconcile'],
        topicArn: arn('sns', 'lakepipe-test-alerts'),
      },
      {
        dataset: 'customer_transactions',
        prefix: 'raw/customer_transactions/',
        database: 'lakepipe_test',
        crawler: 'lakepipe-test-customer-transactions',
        job: 'lakepipe-test-customer-analytics',
        workgroup: 'lakepipe-test',
        validations: [
          'rows_written',
          'no_null_keys',
          'amounts_reconcile',
          'one_segment_per_customer',
          'rejected_share',
        ],
        topicArn: arn('sns', 'lakepipe-test-alerts'),
      },
    ]);
    // Every validation file runs, and every listed validation has its file.
    for (const plan of start.datasets) {
      const files = readdirSync(path.join(REPO_ROOT, 'datasets', plan.dataset, 'validations')).filter((f) =>
        f.endsWith('.sql'),
      );
      expect(plan.validations.map((n) => `${n}.sql`).sort()).toEqual(files.sort());
    }
    const required = screen.datasetContracts.customer_transactions?.columns.filter((c) => c.required);
    expect(required?.map((c) => c.name)).toEqual(expect.arrayContaining(['transaction_id', 'customer_id']));
    expect(screen.quarantinePrefix).toBe('quarantine/');
    expect(prepare).toMatchObject({ rejectedShareMax: 0.05 });
  });

  it("package prepare-validations with every validation SQL file under each dataset's validations/", () => {
    // Prepare
    const entries = packaged.zips.get('prepareValidations') ?? [];
    // Act
    const sql = entries.map((e) => e.name).filter((n) => /^datasets\/[^/]+\/validations\//.test(n));
    // Assess
    const expected = ['customer_profiles', 'customer_transactions'].flatMap((dataset) =>
      readdirSync(path.join(REPO_ROOT, 'datasets', dataset, 'validations'))
        .filter((f) => f.endsWith('.sql'))
        .map((f) => `datasets/${dataset}/validations/${f}`),
    );
    expect(sql.sort()).toEqual(expected.sort());
    const onDisk = readFileSync(path.join(REPO_ROOT, 'datasets/customer_transactions/validations', 'rows_written.sql'));
    expect(
      entries
        .find((e) => e.name === 'datasets/customer_transactions/validations/rows_written.sql')
        ?.content()
        .equals(onDisk),
    ).toBe(true);
  });

  it('are bundled per function, minified with source maps, each under 1 MB of code, and load', () => {
    // Prepare
    const sizes: string[] = [];
    const loadDir = path.join(packaged.dir, 'load');
    // Act
    for (const [name, { entry, logicalId }] of Object.entries(FUNCTIONS)) {
      const entries = packaged.zips.get(name) ?? [];
      const code = entries.find((e) => e.name === entry);
      const map = entries.find((e) => e.name === `${entry}.map`);
      expect(code).toBeDefined();
      expect(map).toBeDefined();
      const total = entries.reduce((sum, e) => sum + e.size, 0);
      const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
      const zipped = entries.reduce((sum, e) => sum + e.compressedSize, 0);
      sizes.push(
        `${name}: code ${kib(code?.size ?? 0)}, map ${kib(map?.size ?? 0)}, unzipped ${kib(total)}, zip ${kib(zipped)}`,
      );
      expect(code?.size ?? Number.POSITIVE_INFINITY).toBeLessThan(ONE_MB);
      // Minified: a bundle of this size with short average lines would not be minified.
      const text = code?.content().toString('utf8') ?? '';
      expect(text.split('\n').length).toBeLessThan(200);
      expect(text).toContain(`sourceMappingURL=${path.basename(entry)}.map`);
      // Load it as Lambda would (CommonJS, handler export), with the template's environment.
      const dir = path.join(loadDir, name);
      for (const e of entries) {
        mkdirSync(path.dirname(path.join(dir, e.name)), { recursive: true });
        writeFileSync(path.join(dir, e.name), e.content());
      }
      const env = Object.fromEntries(
        Object.entries(resources[logicalId].Properties.Environment.Variables as Record<string, Cfn>).map(([k, v]) => [
          k,
          resolver.resolve(v),
        ]),
      );
      const load = spawnSync(
        process.execPath,
        ['-e', `process.stdout.write(typeof require(${JSON.stringify(`./${entry}`)}).handler)`],
        { cwd: dir, env: { PATH: process.env.PATH ?? '', AWS_REGION: REGION, ...env }, encoding: 'utf8' },
      );
      expect(`${name}: ${load.stdout}`).toBe(`${name}: function`);
    }
    // Assess
    process.stdout.write(`bundle sizes (unzipped unless noted):\n  ${sizes.join('\n  ')}\n`);
    expect(sizes).toHaveLength(Object.keys(FUNCTIONS).length);
  });
});

describe('the local twin', () => {
  // The twin's reading of serverless.yml and infra/, for the stage, account and region packaged here.
  const twin = () => readDeployment({ stage: STAGE, account: ACCOUNT, region: REGION });
  const resolvedDeep = (value: Cfn): Cfn => resolveDeep(resolver, value);

  it('defines the crawler exactly as the template does (targets, configuration, policies)', () => {
    // Prepare: the twin has no IAM and no console description.
    const { Role: _role, Description: _description, ...declared } = resources.CustomerTransactionsCrawler.Properties;
    // Act
    const local = twin().crawler;
    // Assess
    expect(local).toEqual(resolvedDeep(declared));
  });

  it("registers the job with the template's name, concurrency, timeout, retries and default arguments", () => {
    // Prepare
    const job = resources.CustomerTransactionsJob.Properties;
    // Act
    const { manifestFile: _manifest, ...local } = twin().job;
    // Assess
    expect(local).toEqual({
      Name: job.Name,
      MaxConcurrentRuns: job.ExecutionProperty.MaxConcurrentRuns,
      Timeout: job.Timeout,
      MaxRetries: job.MaxRetries,
      DefaultArguments: resolvedDeep(job.DefaultArguments),
    });
  });

  it("uses the template's dataset plan, state machine, topic, SQS batch size and task functions", () => {
    // Prepare
    const start = resources.StartPipelineLambdaFunction.Properties.Environment.Variables;
    const handlerFolder = (placeholder: string) =>
      String(resources[PLACEHOLDER_LOGICAL_IDS[placeholder] ?? ''].Properties.Handler).split('/')[1];
    // Act
    const local = twin();
    // Assess
    // The twin serves the dataset whose job infra/resources/glue.yml defines, with the plan the template has.
    expect(JSON.parse(resolver.resolve(start.DATASETS))).toContainEqual(local.plan);
    expect(local.plan.job).toBe('lakepipe-test-customer-analytics');
    expect(local.stateMachineArn).toBe(resolver.resolve(start.STATE_MACHINE_ARN));
    expect(local.topicArn).toBe(resolver.ref('AlertTopic'));
    expect(local.sqsBatchSize).toBe(only('AWS::Lambda::EventSourceMapping').Properties.BatchSize);
    expect(local.taskFunctions).toEqual(
      Object.fromEntries(Object.keys(PLACEHOLDER_LOGICAL_IDS).map((p) => [p, handlerFolder(p)])),
    );
  });
});
