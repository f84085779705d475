// Evaluates the few CloudFormation intrinsics the template uses (Ref, Fn::GetAtt, Fn::Sub, Fn::Join) against
// a pretend account, so tests compare real ARNs and names instead of template spellings.
import type { Cfn } from './package-service';

export const ACCOUNT = '123456789012';
export const PARTITION = 'aws';

export class UnresolvableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnresolvableError';
  }
}

export function createResolver(resources: Record<string, Cfn>, region: string) {
  const pseudo: Record<string, string> = {
    'AWS::AccountId': ACCOUNT,
    'AWS::Region': region,
    'AWS::Partition': PARTITION,
    'AWS::StackName': 'lakepipe-test',
  };
  const resource = (id: string): Cfn => {
    const r = resources[id];
    if (r === undefined) throw new UnresolvableError(`no resource ${id}`);
    return r;
  };
  const ref = (id: string): string => {
    const p = pseudo[id];
    if (p !== undefined) return p;
    const r = resource(id);
    const props = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::S3::Bucket':
        return props.BucketName === undefined ? id.toLowerCase() : resolve(props.BucketName);
      case 'AWS::SNS::Topic':
        return `arn:${PARTITION}:sns:${region}:${ACCOUNT}:${resolve(props.TopicName)}`;
      case 'AWS::SQS::Queue':
        return `https://sqs.${region}.amazonaws.com/${ACCOUNT}/${resolve(props.QueueName)}`;
      case 'AWS::Lambda::Function':
        return resolve(props.FunctionName);
      case 'AWS::StepFunctions::StateMachine':
        return `arn:${PARTITION}:states:${region}:${ACCOUNT}:stateMachine:${resolve(props.StateMachineName)}`;
      case 'AWS::Glue::Database':
        return resolve(props.DatabaseInput.Name);
      case 'AWS::Athena::WorkGroup':
        return resolve(props.Name);
      case 'AWS::Logs::LogGroup':
        return resolve(props.LogGroupName);
      default:
        return id;
    }
  };
  const getAtt = (id: string, attribute: string): string => {
    const r = resource(id);
    if (attribute !== 'Arn') throw new UnresolvableError(`attribute ${id}.${attribute}`);
    switch (r.Type) {
      case 'AWS::S3::Bucket':
        return `arn:${PARTITION}:s3:::${ref(id)}`;
      case 'AWS::SQS::Queue':
        return `arn:${PARTITION}:sqs:${region}:${ACCOUNT}:${resolve(r.Properties.QueueName)}`;
      case 'AWS::Lambda::Function':
        return `arn:${PARTITION}:lambda:${region}:${ACCOUNT}:function:${ref(id)}`;
      case 'AWS::Logs::LogGroup':
        return `arn:${PARTITION}:logs:${region}:${ACCOUNT}:log-group:${ref(id)}:*`;
      case 'AWS::KMS::Key':
        return `arn:${PARTITION}:kms:${region}:${ACCOUNT}:key/${id}`;
      case 'AWS::IAM::Role':
        return `arn:${PARTITION}:iam::${ACCOUNT}:role/${id}`;
      default:
        throw new UnresolvableError(`no Arn for ${r.Type}`);
    }
  };
  const sub = (template: string, variables: Record<string, Cfn> = {}): string =>
    template.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
      if (name in variables) return resolve(variables[name]);
      if (name in pseudo) return pseudo[name] as string;
      const [id, attribute] = name.split('.');
      if (id === undefined) throw new UnresolvableError(`empty variable in ${template}`);
      return attribute === undefined ? ref(id) : getAtt(id, attribute);
    });
  function resolve(value: Cfn): string {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'boolean') return String(value);
    if (value?.Ref !== undefined) return ref(value.Ref);
    if (value?.['Fn::GetAtt'] !== undefined) {
      const [id, attribute] = value['Fn::GetAtt'];
      return getAtt(id, attribute);
    }
    if (value?.['Fn::Sub'] !== undefined) {
      const s = value['Fn::Sub'];
      return Array.isArray(s) ? sub(s[0], s[1]) : sub(s);
    }
    if (value?.['Fn::Join'] !== undefined) {
      const [separator, parts] = value['Fn::Join'];
      return (parts as Cfn[]).map(resolve).join(separator);
    }
    throw new UnresolvableError(`cannot resolve ${JSON.stringify(value)}`);
  }
  return { resolve, ref, getAtt };
}

/** Every policy statement of the template: identity policies, resource policies and key policies. */
export interface LabelledStatement {
  label: string;
  statement: Cfn;
}

export function policyStatements(resources: Record<string, Cfn>): LabelledStatement[] {
  const out: LabelledStatement[] = [];
  const add = (owner: string, document: Cfn) => {
    const statements = Array.isArray(document?.Statement) ? document.Statement : [document?.Statement];
    statements.forEach((statement: Cfn, index: number) => {
      if (statement !== undefined) out.push({ label: `${owner}/${statement.Sid ?? index}`, statement });
    });
  };
  for (const [id, r] of Object.entries(resources)) {
    switch (r.Type) {
      case 'AWS::IAM::Role':
        for (const policy of r.Properties.Policies ?? []) add(id, policy.PolicyDocument);
        break;
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
      case 'AWS::S3::BucketPolicy':
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::SNS::TopicPolicy':
        add(id, r.Properties.PolicyDocument);
        break;
      case 'AWS::KMS::Key':
        add(id, r.Properties.KeyPolicy);
        break;
      default:
        break;
    }
  }
  return out;
}

export const asArray = <T>(value: T | T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** A template value with every intrinsic resolved, into objects and arrays. */
export function resolveDeep(resolver: ReturnType<typeof createResolver>, value: Cfn): Cfn {
  if (Array.isArray(value)) return value.map((v) => resolveDeep(resolver, v));
  if (value === null || typeof value !== 'object') return value;
  const [key] = Object.keys(value);
  if (key === 'Ref' || key?.startsWith('Fn::')) return resolver.resolve(value);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveDeep(resolver, v)]));
}

/** `customer_transactions` -> `CustomerTransactions`: a dataset's part of its resources' logical ids. */
export const logicalIdOf = (dataset: string): string =>
  dataset
    .split('_')
    .map((part) => `${part.charAt(0).toUpperCase()}${part.slice(1)}`)
    .join('');
