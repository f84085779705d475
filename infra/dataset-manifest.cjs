// @ts-check
// What the deployment reads from a dataset's job manifest: the tables and paths it writes (its job role may write
// those only, and no two datasets may share one) and its secret parameters (each an SSM SecureString).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const YAML = require('yaml');
const { DatasetConfigError, REPO_ROOT } = require('./registry.cjs');

const SSM_PARAMETER_ROOT = '/lakepipe';

/**
 * What the deployment needs from a job manifest: its output tables and paths, and its secret parameters.
 * @param {import('./registry.cjs').DatasetDefinition} dataset
 * @param {string} [root]
 */
function manifestNeeds(dataset, root = REPO_ROOT) {
  const file = path.relative(root, dataset.job.manifestFile).split(path.sep).join('/');
  const doc = YAML.parse(fs.readFileSync(dataset.job.manifestFile, 'utf8'));
  const outputs = Array.isArray(doc?.outputs) ? doc.outputs : [];
  if (outputs.length === 0) throw new DatasetConfigError(file, 'outputs', 'must list at least one output table');
  const tables = outputs.map((/** @type {any} */ out, /** @type {number} */ i) => {
    if (typeof out?.table !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(out.table)) {
      throw new DatasetConfigError(file, `outputs[${i}].table`, 'must match [a-z_][a-z0-9_]*');
    }
    if (typeof out.path !== 'string' || !/^[A-Za-z0-9_\-/]+\/$/.test(out.path) || out.path.startsWith('/')) {
      throw new DatasetConfigError(file, `outputs[${i}].path`, 'must be a key prefix ending with "/"');
    }
    return { table: out.table, path: out.path };
  });
  const parameters = doc?.parameters && typeof doc.parameters === 'object' ? doc.parameters : {};
  const secrets = Object.entries(parameters)
    .filter(([, spec]) => spec?.secret === true)
    .map(([key, spec]) => {
      const argument = spec.argument ?? key;
      if (typeof argument !== 'string' || !/^[a-z_][a-z0-9_]*$/.test(argument)) {
        throw new DatasetConfigError(file, `parameters.${key}.argument`, 'must match [a-z_][a-z0-9_]*');
      }
      return argument;
    });
  return { tables, secrets };
}

/**
 * Output tables may not be shared, nor their paths overlap: each job role writes only its own.
 * @param {import('./registry.cjs').DatasetDefinition[]} datasets
 * @param {string} [root]
 */
function checkOutputsDisjoint(datasets, root = REPO_ROOT) {
  /** @type {{ dataset: string, table: string, path: string }[]} */
  const seen = [];
  for (const dataset of datasets) {
    const file = path.relative(root, dataset.job.manifestFile).split(path.sep).join('/');
    manifestNeeds(dataset, root).tables.forEach((out, i) => {
      const clash = seen.find(
        (s) =>
          s.table === out.table ||
          s.table === dataset.name ||
          out.table === s.dataset ||
          s.path.startsWith(out.path) ||
          out.path.startsWith(s.path),
      );
      if (clash) {
        throw new DatasetConfigError(
          file,
          `outputs[${i}]`,
          `table ${out.table} (${out.path}) clashes with ${clash.dataset}'s ${clash.table} (${clash.path})`,
        );
      }
    });
    for (const out of manifestNeeds(dataset, root).tables) seen.push({ dataset: dataset.name, ...out });
  }
}

/** The SSM parameter that holds a secret job argument's value (the operator creates it, docs/deploy.md). */
function secretParameterName(stage, dataset, argument) {
  return `${SSM_PARAMETER_ROOT}/${stage}/${dataset}/${argument}`;
}

module.exports = { manifestNeeds, checkOutputsDisjoint, secretParameterName };
