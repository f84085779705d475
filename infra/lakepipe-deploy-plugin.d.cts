interface Sender {
  send(command: unknown): Promise<unknown>;
}

declare class LakepipeDeployPlugin {
  constructor(serverless: unknown, options: Record<string, unknown>, utils?: { log?: unknown });
  hooks: Record<string, () => unknown>;
  commands: Record<string, { usage: string; lifecycleEvents: string[] }>;
  checkStage(): void;
  request(service: string, method: string, params: unknown): Promise<unknown>;
  uploadGlueAssets(deps?: { s3?: Sender }): Promise<{ bucket: string; key: string; file: string }[]>;
}
declare namespace LakepipeDeployPlugin {
  function stackOutput(describeStacksOutput: unknown, key: string): string | undefined;
  class GlueAssetsUploadError extends Error {}
  class UnsupportedRequestError extends Error {}
}
export = LakepipeDeployPlugin;
