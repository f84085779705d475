export interface GlueAsset {
  /** Absolute path of the local file. */
  file: string;
  /** Key in the glue-assets bucket. */
  key: string;
  contentType: string;
}
export function glueAssetFiles(repoRoot: string): GlueAsset[];
