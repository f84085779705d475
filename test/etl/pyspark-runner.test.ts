// CI gate for the PySpark runner (glue-jobs/runner/): both files byte-compile, its pure half passes
// their python3 unit tests (no Spark needed), and its YAML fallback reads job.yml exactly as the `yaml` package
// the DuckDB runner uses does.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'yaml';

const ROOT = path.resolve(__dirname, '../..');
const RUNNER_DIR = path.join(ROOT, 'glue-jobs/runner');
const RUNNER_FILES = ['lakepipe_runner.py', 'lakepipe_manifest.py', 'lakepipe_yaml.py'];
const JOB_YML = path.join(ROOT, 'datasets/customer_transactions/job.yml');

describe('PySpark runner', () => {
  it.each(RUNNER_FILES)('%s byte-compiles with python3', async (file) => {
    // Prepare: compile into a temp folder so the repo gets no __pycache__
    const dir = await mkdtemp(path.join(tmpdir(), 'lakepipe-pyc-'));
    try {
      // Act
      const result = spawnSync(
        'python3',
        [
          '-c',
          'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)',
          path.join(RUNNER_DIR, file),
          path.join(dir, 'r.pyc'),
        ],
        { encoding: 'utf8' },
      );
      // Assess
      expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('passes its python3 unit tests', () => {
    // Act
    const result = spawnSync(
      'python3',
      ['-B', '-m', 'unittest', 'discover', '-s', 'test/etl/runner', '-p', 'test_*.py'],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    // Assess
    expect(result.stderr).toMatch(/^OK$/m);
    expect(result.status).toBe(0);
  });

  it('reads job.yml with its YAML fallback exactly as the yaml package does', () => {
    // Act
    const fromPython = execFileSync(
      'python3',
      [
        '-B',
        '-c',
        'import json, sys; sys.path.insert(0, sys.argv[1]); import lakepipe_yaml as r; print(json.dumps(r.parse_yaml_subset(open(sys.argv[2]).read())))',
        RUNNER_DIR,
        JOB_YML,
      ],
      { encoding: 'utf8' },
    );
    // Assess
    expect(JSON.parse(fromPython)).toEqual(parse(readFileSync(JOB_YML, 'utf8')));
  });
});
