// Production entry: the Glue client is built once, at cold start. No configuration is needed.
import { GlueClient } from '@aws-sdk/client-glue';
import { glueAdapter } from '../shared/aws-ports';
import { createHandler } from './app';

export const handler = createHandler({ glue: glueAdapter(new GlueClient({})) });
