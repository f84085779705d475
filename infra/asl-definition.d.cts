declare namespace load {
  function loadDefinition(file?: string): unknown;
  function resolvePlaceholders(value: unknown): unknown;
  function lambdaLogicalId(functionName: string): string;
  const PLACEHOLDER_FUNCTIONS: Record<string, string>;
  const ASL_FILE: string;
  class AslPlaceholderError extends Error {}
}
declare function load(): unknown;
export = load;
