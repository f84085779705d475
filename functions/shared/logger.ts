import { Logger } from '@aws-lambda-powertools/logger';

/** One Logger for the service: every call is a fixed message plus a context object. */
export const logger = new Logger({ serviceName: 'lakepipe' });
