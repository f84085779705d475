// Removes the run's temporary folder made by test/global-setup.cjs (kept when LAKEPIPE_KEEP_TEST_TMP is set).
const { rmSync } = require('node:fs');

module.exports = async () => {
  const dir = process.env.LAKEPIPE_TEST_TMP;
  if (!dir) return;
  if (process.env.LAKEPIPE_KEEP_TEST_TMP) {
    console.log(`test files kept in ${dir}`);
    return;
  }
  rmSync(dir, { recursive: true, force: true });
};
