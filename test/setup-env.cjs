// The Lambdas' Powertools logs at WARN during tests (as the CLI runs them by default), so test output shows
// failures, not every INFO decision; a test that checks log lines raises the level itself.
process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
