// Every test's temporary folders (os.tmpdir() reads TMPDIR at each call) go under one folder per run, which
// test/global-teardown.cjs removes, so test runs do not leave their workspaces behind in /tmp. Jest starts its
// workers after this, so they and the processes they spawn inherit TMPDIR. LAKEPIPE_KEEP_TEST_TMP=1 keeps it.
const { mkdtempSync } = require('node:fs');
const { tmpdir } = require('node:os');
const path = require('node:path');

module.exports = async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'lakepipe-test-run-'));
  process.env.LAKEPIPE_TEST_TMP = dir;
  process.env.TMPDIR = dir;
};
