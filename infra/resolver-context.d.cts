// What serverless passes to a `${file(./x.cjs)}` function resolver.
export interface ResolverContext {
  resolveVariable(variable: string): Promise<unknown>;
  options?: Record<string, unknown>;
}
