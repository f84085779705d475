// Production entry: configuration and the S3 client are built once, at cold start.
import { S3Client } from '@aws-sdk/client-s3';
import { s3Adapter } from '../shared/aws-ports';
import { createHandler, loadScreenFilesConfig } from './app';

export const handler = createHandler({ config: loadScreenFilesConfig(process.env), s3: s3Adapter(new S3Client({})) });
