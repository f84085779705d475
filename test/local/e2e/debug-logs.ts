// Imported first by a test that reads the Lambdas' logs: every level, set before any handler's Logger reads it.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
