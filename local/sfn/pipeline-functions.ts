// The pipeline ASL's Lambda placeholders and the function folder behind each: the twin resolves every
// placeholder to a local function ARN and binds that ARN to the function's in-process handler (app.ts).
export const PIPELINE_FUNCTIONS = {
  ScreenFilesFunctionArn: 'screen-files',
  CheckCatalogFunctionArn: 'check-catalog',
  PrepareValidationsFunctionArn: 'prepare-validations',
  BuildNotificationFunctionArn: 'build-notification',
} as const;

export type PipelinePlaceholder = keyof typeof PIPELINE_FUNCTIONS;
export type PipelineFunction = (typeof PIPELINE_FUNCTIONS)[PipelinePlaceholder];

/** A function ARN in a fake local account, e.g. arn:aws:lambda:us-east-1:000000000000:function:lakepipe-local-check-catalog. */
export function localFunctionArn(fn: PipelineFunction, prefix = 'lakepipe-local'): string {
  return `arn:aws:lambda:us-east-1:000000000000:function:${prefix}-${fn}`;
}

/** The placeholder map for loadDefinition: every Lambda placeholder -> its local function ARN. */
export function localPlaceholders(prefix = 'lakepipe-local'): Record<PipelinePlaceholder, string> {
  const entries = Object.entries(PIPELINE_FUNCTIONS).map(([placeholder, fn]) => [
    placeholder,
    localFunctionArn(fn, prefix),
  ]);
  return Object.fromEntries(entries) as Record<PipelinePlaceholder, string>;
}
