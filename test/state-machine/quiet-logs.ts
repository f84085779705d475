// Imported first by the harness: the task Lambdas' logger reads its level once, when its module loads.
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
