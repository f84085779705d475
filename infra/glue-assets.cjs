// @ts-check
// What the deploy uploads to the glue-assets bucket, and under which keys:
//   glue-jobs/runner/<file>          -> runner/<file>            (the job's ScriptLocation is runner/lakepipe_runner.py)
//   datasets/<d>/<manifest>          -> jobs/<job>/job.yml       (the job's --manifest_s3_uri; <job> is its `name`)
//   datasets/<d>/steps/<f>.sql       -> jobs/<job>/steps/<f>.sql (steps are resolved relative to the manifest)
// Tests, caches and anything else in those folders stay local.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { loadRegistry } = require('./registry.cjs');

const RUNNER_DIR = 'runner';
const CONTENT_TYPES = {
  '.py': 'text/x-python',
  '.yml': 'application/yaml',
  '.yaml': 'application/yaml',
  '.sql': 'application/sql',
};

/**
 * @param {string} dir
 * @returns {string[]} files below dir, relative to it, with forward slashes, sorted
 */
function walk(dir) {
  if (!fs.existsSync(dir)) return [];
  /** @type {string[]} */
  const out = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.') || entry.name === '__pycache__' || entry.name === 'tests' || entry.name === 'test') {
      continue;
    }
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(full).map((f) => `${entry.name}/${f}`));
    else if (entry.isFile()) out.push(entry.name);
  }
  return out.sort();
}

/**
 * @param {string} repoRoot
 * @returns {{ file: string, key: string, contentType: string }[]}
 */
function glueAssetFiles(repoRoot) {
  const glueJobs = path.join(repoRoot, 'glue-jobs');
  /** @type {{ file: string, key: string, contentType: string }[]} */
  const assets = [];
  const add = (file, key) =>
    assets.push({ file, key, contentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream' });

  for (const rel of walk(path.join(glueJobs, RUNNER_DIR)).filter(
    (f) => f.endsWith('.py') && !/(^|\/)test_[^/]*\.py$/.test(f),
  )) {
    add(path.join(glueJobs, RUNNER_DIR, rel), `runner/${rel}`);
  }
  for (const dataset of loadRegistry(repoRoot)) {
    const job = dataset.job.name;
    const jobDir = path.dirname(dataset.job.manifestFile);
    add(dataset.job.manifestFile, `jobs/${job}/job.yml`);
    for (const rel of walk(path.join(jobDir, 'steps')).filter((f) => f.endsWith('.sql'))) {
      add(path.join(jobDir, 'steps', rel), `jobs/${job}/steps/${rel}`);
    }
  }
  return assets;
}

module.exports = { glueAssetFiles };
