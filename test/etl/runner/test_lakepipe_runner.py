"""Unit tests of the PySpark runner's pure half, lakepipe_manifest (no Spark, no Glue): python3 -m unittest."""

import datetime as dt
import json
import os
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "glue-jobs", "runner"))

import lakepipe_manifest as r  # noqa: E402
import lakepipe_yaml  # noqa: E402
import lakepipe_runner  # noqa: E402, F401 (the Glue job loads without Spark and Glue)

JOB_YML = os.path.join(ROOT, "datasets", "customer_transactions", "job.yml")


def minimal(**overrides):
    manifest = {
        "name": "j",
        "source": {"bookmark": True},
        "parameters": {"run_id": {"argument": "run_id", "type": "string"}},
        "steps": [{"name": "a", "sql": "steps/a.sql"}],
        "outputs": [
            {
                "table": "t",
                "step": "a",
                "path": "t/",
                "format": "parquet",
                "mode": "append",
                "partitionKeys": ["year"],
                "columns": [{"name": "id", "type": "string"}, {"name": "year", "type": "int"}],
            }
        ],
    }
    manifest.update(overrides)
    return manifest


class YamlSubsetTest(unittest.TestCase):
    def test_parses_the_customer_analytics_manifest_like_pyyaml(self):
        # Prepare
        with open(JOB_YML, encoding="utf-8") as f:
            text = f.read()
        # Act
        parsed = lakepipe_yaml.parse_yaml_subset(text)
        # Assess: the expected value is spelled out independently of any parser for the parts that matter
        self.assertEqual(parsed["name"], "customer-analytics")
        self.assertIs(parsed["source"]["bookmark"], True)
        self.assertEqual(parsed["parameters"]["as_of"], {"argument": "as_of", "type": "date", "default": "run_date"})
        self.assertEqual(parsed["steps"][0], {"name": "parsed", "sql": "steps/01-parsed.sql", "materialize": True})
        self.assertEqual(parsed["steps"][3], {"name": "checked", "sql": "steps/04-checked.sql", "materialize": False})
        enriched = [o for o in parsed["outputs"] if o["table"] == "transactions_enriched"][0]
        self.assertEqual(enriched["partitionKeys"], ["year", "month"])
        self.assertEqual(enriched["columns"][2], {"name": "transaction_amount", "type": "decimal(18,2)"})
        self.assertEqual([o["partitionKeys"] for o in parsed["outputs"]][0], [])
        try:
            import yaml
        except ImportError:
            return
        self.assertEqual(parsed, yaml.safe_load(text))

    def test_scalars_comments_and_nesting(self):
        # Prepare
        text = "\n".join(
            [
                "# header",
                "a: 1  # trailing",
                "b: 'it''s # not a comment'",
                'c: "x: y"',
                "d:",
                "  - 1.5",
                "  - { k: v, n: [1, 2] }",
                "  - name: first",
                "    more: true",
                "e: null",
                "f:",
                "  g: false",
            ]
        )
        # Act
        parsed = lakepipe_yaml.parse_yaml_subset(text)
        # Assess
        self.assertEqual(
            parsed,
            {
                "a": 1,
                "b": "it's # not a comment",
                "c": "x: y",
                "d": [1.5, {"k": "v", "n": [1, 2]}, {"name": "first", "more": True}],
                "e": None,
                "f": {"g": False},
            },
        )

    def test_refuses_what_it_does_not_support(self):
        for text in ["a: &anchor 1", "a: |\n  text", "a: 1\na: 2", "a:\n\tb: 1"]:
            with self.subTest(text=text), self.assertRaises(r.ManifestError):
                lakepipe_yaml.parse_yaml_subset(text)


class ValidateManifestTest(unittest.TestCase):
    def test_accepts_the_customer_analytics_manifest(self):
        # Prepare
        with open(JOB_YML, encoding="utf-8") as f:
            raw = lakepipe_yaml.parse_yaml_subset(f.read())
        # Act
        manifest = r.validate_manifest(raw)
        # Assess
        self.assertEqual(len(manifest["steps"]), 10)
        # The hint: `checked` is recomputed by its readers, every other step is stored (localCheckpoint).
        self.assertEqual([s["name"] for s in manifest["steps"] if not s["materialize"]], ["checked"])
        self.assertEqual(
            [o["table"] for o in manifest["outputs"]],
            ["ingest_audit", "rejected_transactions", "transactions_enriched", "customer_transaction_metrics", "customer_segments"],
        )
        self.assertEqual(manifest["outputs"][0]["compression"], "snappy")

    def test_rejects_inconsistent_manifests(self):
        bad_output = dict(minimal()["outputs"][0])
        cases = {
            "bad step name": minimal(steps=[{"name": "Bad-Name", "sql": "a.sql"}]),
            "reserved step": minimal(steps=[{"name": "source", "sql": "a.sql"}]),
            "reserved step source_files": minimal(steps=[{"name": "source_files", "sql": "a.sql"}]),
            "escaping sql path": minimal(steps=[{"name": "a", "sql": "../x.sql"}]),
            "unknown step": minimal(outputs=[dict(bad_output, step="zzz")]),
            "partition key not last": minimal(outputs=[dict(bad_output, partitionKeys=["id"])]),
            "unsupported type": minimal(
                outputs=[dict(bad_output, columns=[{"name": "id", "type": "map<string,int>"}, {"name": "year", "type": "int"}])]
            ),
            "bad mode": minimal(outputs=[dict(bad_output, mode="merge")]),
            "materialize not a boolean": minimal(steps=[{"name": "a", "sql": "a.sql", "materialize": "no"}]),
            "passThrough output without a source list": minimal(outputs=[dict(bad_output, passThrough=True)]),
            "passThrough except not a list": minimal(source={"bookmark": True, "passThrough": {"except": "id"}}),
            "path with dots": minimal(outputs=[dict(bad_output, path="../t/")]),
            "table named like a step": minimal(outputs=[dict(bad_output, table="a")]),
            "bad parameter type": minimal(parameters={"x": {"argument": "x", "type": "json"}}),
        }
        for label, manifest in cases.items():
            with self.subTest(label), self.assertRaises(r.ManifestError):
                r.validate_manifest(manifest)

    def test_normalises_types_to_lower_case(self):
        # Prepare
        out = dict(minimal()["outputs"][0], columns=[{"name": "id", "type": "STRING"}, {"name": "year", "type": "Int"}])
        # Act
        manifest = r.validate_manifest(minimal(outputs=[out]))
        # Assess
        self.assertEqual([c["type"] for c in manifest["outputs"][0]["columns"]], ["string", "int"])


class ArgumentsTest(unittest.TestCase):
    PARAMS = {
        "run_id": {"argument": "run_id", "type": "string", "default": None},
        "as_of": {"argument": "as_of", "type": "date", "default": "run_date"},
    }

    def test_defaults_as_of_to_the_run_date(self):
        # Act
        values = r.resolve_parameters(self.PARAMS, {"run_id": "exec-1"}, dt.date(2024, 4, 1))
        # Assess
        self.assertEqual(values, {"run_id": "exec-1", "as_of": dt.date(2024, 4, 1)})

    def test_an_explicit_argument_wins_and_is_typed(self):
        # Act
        values = r.resolve_parameters(self.PARAMS, {"run_id": "e", "as_of": "2023-12-31"}, dt.date(2024, 4, 1))
        # Assess
        self.assertEqual(values["as_of"], dt.date(2023, 12, 31))

    def test_missing_or_malformed_arguments_fail_with_the_argument_name(self):
        with self.assertRaisesRegex(r.JobArgumentError, "--run_id"):
            r.resolve_parameters(self.PARAMS, {}, dt.date(2024, 4, 1))
        with self.assertRaisesRegex(r.JobArgumentError, "--as_of"):
            r.resolve_parameters(self.PARAMS, {"run_id": "e", "as_of": "April 1st"}, dt.date(2024, 4, 1))

    def test_only_present_optional_arguments_are_resolved(self):
        # getResolvedOptions fails on an argument that is not on the command line
        argv = ["script.py", "--JOB_NAME", "j", "--as_of", "2024-01-01"]
        self.assertEqual(r.optional_argument_names(self.PARAMS, argv), ["as_of"])
        self.assertEqual(r.optional_argument_names(self.PARAMS, ["script.py"]), [])


class LocationsTest(unittest.TestCase):
    def test_step_keys_stay_in_the_job_folder(self):
        self.assertEqual(r.step_key("glue-jobs/ca/job.yml", "steps/01.sql"), "glue-jobs/ca/steps/01.sql")
        with self.assertRaises(r.ManifestError):
            r.step_key("glue-jobs/ca/job.yml", "../other/x.sql")

    def test_output_location_joins_the_curated_location_and_path(self):
        self.assertEqual(r.output_location("s3://curated-bkt/", "t/"), "s3://curated-bkt/t/")
        self.assertEqual(r.output_location("s3://curated-bkt/lake", "t/"), "s3://curated-bkt/lake/t/")
        with self.assertRaises(r.JobArgumentError):
            r.output_location("curated-bkt/lake", "t/")

    def test_table_input_puts_partition_keys_apart(self):
        # Act
        table = r.glue_table_input(r.validate_manifest(minimal())["outputs"][0], "s3://b/t/")
        # Assess
        self.assertEqual(table["PartitionKeys"], [{"Name": "year", "Type": "int"}])
        self.assertEqual(table["StorageDescriptor"]["Columns"], [{"Name": "id", "Type": "string"}])
        self.assertEqual(table["StorageDescriptor"]["Location"], "s3://b/t/")
        self.assertEqual(table["Parameters"]["classification"], "parquet")
        json.dumps(table)  # a plain JSON shape, as boto3 sends it


class PassThroughTest(unittest.TestCase):
    def test_every_other_plain_source_column_passes_through_in_order(self):
        # Prepare: the output declares id and year; source_file is the runner's; "Bad Name" is no identifier.
        manifest = r.validate_manifest(
            minimal(source={"bookmark": True, "passThrough": {"except": ["amount"]}})
        )
        source = ["id", "amount", "loyalty_tier", "Bad Name", "year", "source_file", "order"]
        # Act
        columns = r.pass_through_columns(manifest, source)
        # Assess
        self.assertEqual(columns, ["loyalty_tier", "order"])

    def test_nothing_passes_through_without_source_pass_through(self):
        self.assertEqual(r.pass_through_columns(r.validate_manifest(minimal()), ["loyalty_tier"]), [])

    def test_the_placeholder_expands_with_backticks_and_each_comma(self):
        # Prepare
        sql = "SELECT a, ${pass_through:s} s.source_file FROM source s UNION ALL SELECT ${pass_through} x FROM t"
        # Act
        expanded = r.expand_pass_through(sql, ["loyalty_tier", "order"])
        empty = r.expand_pass_through(sql, [])
        # Assess: the same text the DuckDB runner produces, but for Spark's quoting (local/glue/jobs/pass-through.ts).
        self.assertEqual(
            expanded,
            "SELECT a, s.`loyalty_tier`, s.`order`,  s.source_file FROM source s "
            "UNION ALL SELECT `loyalty_tier`, `order`,  x FROM t",
        )
        self.assertEqual(empty, "SELECT a,  s.source_file FROM source s UNION ALL SELECT  x FROM t")

    def test_the_customer_analytics_manifest_passes_extra_columns_to_two_outputs(self):
        with open(JOB_YML, encoding="utf-8") as f:
            manifest = r.validate_manifest(lakepipe_yaml.parse_yaml_subset(f.read()))
        self.assertEqual(
            [o["table"] for o in manifest["outputs"] if o["passThrough"]],
            ["rejected_transactions", "transactions_enriched"],
        )
        self.assertEqual(r.pass_through_columns(manifest, ["transaction_id", "loyalty_tier", "year"]), ["loyalty_tier"])


if __name__ == "__main__":
    unittest.main()
