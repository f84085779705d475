// Production entry: configuration and SDK clients are built once, at cold start.
import { GlueClient } from '@aws-sdk/client-glue';
import { SFNClient } from '@aws-sdk/client-sfn';
import { glueAdapter, sfnAdapter } from '../shared/aws-ports';
import { createHandler, loadStartPipelineConfig } from './app';

const config = loadStartPipelineConfig(process.env);

export const handler = createHandler({
  config,
  glue: glueAdapter(new GlueClient({})),
  sfn: sfnAdapter(new SFNClient({})),
});
