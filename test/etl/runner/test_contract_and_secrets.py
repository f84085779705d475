"""The PySpark runner's pure half: the dataset contract (--source_contract), secret parameters read from SSM, and
the source's lineage option. The same rules as the DuckDB runner (test/local/glue/jobs/source-contract.test.ts)."""

import datetime as dt
import os
import sys
import unittest

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "glue-jobs", "runner"))

import lakepipe_manifest as r  # noqa: E402

SALT = "s3cr3t-salt-value"


def manifest_with(parameters, **source):
    return {
        "name": "j",
        "source": {"bookmark": True, **source},
        "parameters": parameters,
        "steps": [{"name": "a", "sql": "steps/a.sql"}],
        "outputs": [],
    }


class FakeSsm:
    """get_parameter as boto3's SSM client answers it; a name it does not hold raises like ParameterNotFound."""

    class ParameterNotFound(Exception):
        pass

    def __init__(self, values):
        self.values = values
        self.calls = []

    def get_parameter(self, Name, WithDecryption=False):
        self.calls.append((Name, WithDecryption))
        if Name not in self.values:
            raise FakeSsm.ParameterNotFound("Parameter %s not found" % Name)
        return {"Parameter": {"Name": Name, "Type": "SecureString", "Value": self.values[Name]}}


class SourceContractTest(unittest.TestCase):
    def test_parses_optional_columns_and_partition_keys(self):
        # Act
        contract = r.source_contract('{"optional":[{"name":"id","type":"Decimal(10,2)"}],"partitionKeys":["day"]}')
        # Assess
        self.assertEqual(contract, {"optional": [{"name": "id", "type": "decimal(10,2)"}], "partitionKeys": ["day"]})
        self.assertIsNone(r.source_contract(None))
        self.assertEqual(r.source_contract('{"csv":{"quote":"\'"}}')["csv"], {"quote": "'"})

    def test_refuses_a_malformed_contract(self):
        bad = ('{"optional":[{"name":"x","type":"money"}]}', '{"partitionKeys":["Bad Key"]}', '{"csv":{"quote":"ab"}}')
        for text in ("{", '{"other":1}', *bad):
            with self.assertRaisesRegex(r.JobArgumentError, "--source_contract"):
                r.source_contract(text)

    def test_the_optional_columns_a_source_lacks_with_their_types(self):
        # Prepare: the four-column file
        contract = r.source_contract(
            '{"optional":[{"name":"store_id","type":"string"},{"name":"channel","type":"string"},'
            '{"name":"visits","type":"bigint"}]}'
        )
        source = ["transaction_id", "customer_id", "transaction_amount", "transaction_date", "Channel"]
        # Act / Assess: present in any case is present
        self.assertEqual(r.missing_optional_columns(contract, source), [("store_id", "string"), ("visits", "bigint")])
        self.assertEqual(r.missing_optional_columns(None, source), [])

    def test_only_declared_partition_keys_pass_through(self):
        # Prepare
        contract = r.source_contract('{"partitionKeys":["region"]}')
        manifest = r.validate_manifest(manifest_with({}, passThrough={"except": ["id"]}))
        source = ["id", "coupon", "partition_0", "region"]
        # Act
        excluded = r.undeclared_partition_keys(contract, ["partition_0", "region"])
        # Assess
        self.assertEqual(excluded, ["partition_0"])
        self.assertEqual(r.pass_through_columns(manifest, source, excluded=excluded), ["coupon", "region"])
        # Without a contract, as before: every partition key passes
        self.assertEqual(r.undeclared_partition_keys(None, ["partition_0"]), [])

    def test_lineage_comes_from_the_s3_sources_attach_filename_option(self):
        self.assertEqual(r.SOURCE_FILE_OPTIONS, {"attachFilename": "source_file"})


class SecretParameterTest(unittest.TestCase):
    PARAMS = {"email_salt": {"argument": "email_salt", "type": "string", "secret": True}}

    def test_reads_the_named_ssm_parameter_with_decryption(self):
        # Prepare
        ssm = FakeSsm({"/lakepipe/dev/customer_profiles/email_salt": SALT})
        manifest = r.validate_manifest(manifest_with(self.PARAMS))
        args = {"email_salt": "/lakepipe/dev/customer_profiles/email_salt"}
        # Act
        values = r.resolve_parameters(manifest["parameters"], args, dt.date(2025, 1, 1), r.ssm_secret_reader(ssm))
        # Assess
        self.assertEqual(values, {"email_salt": SALT})
        self.assertEqual(ssm.calls, [("/lakepipe/dev/customer_profiles/email_salt", True)])

    def test_failures_name_the_parameter_never_a_value(self):
        # Prepare
        manifest = r.validate_manifest(manifest_with(self.PARAMS))
        params = manifest["parameters"]
        # Act / Assess
        with self.assertRaisesRegex(r.JobArgumentError, "--email_salt is required"):
            r.resolve_parameters(params, {}, dt.date(2025, 1, 1), r.ssm_secret_reader(FakeSsm({})))
        with self.assertRaises(r.JobArgumentError) as missing:
            r.resolve_parameters(params, {"email_salt": "/x"}, dt.date(2025, 1, 1), r.ssm_secret_reader(FakeSsm({})))
        self.assertEqual(str(missing.exception), "cannot read SSM parameter /x: ParameterNotFound")
        with self.assertRaisesRegex(r.JobArgumentError, "holds no value"):
            r.resolve_parameters(params, {"email_salt": "/x"}, dt.date(2025, 1, 1), lambda name: "")

    def test_a_secret_is_a_string_without_default(self):
        for spec in (
            {"argument": "s", "type": "int", "secret": True},
            {"argument": "s", "type": "string", "secret": True, "default": "x"},
            {"argument": "s", "type": "string", "secret": "yes"},
        ):
            with self.assertRaisesRegex(r.ManifestError, "parameter s"):
                r.validate_manifest(manifest_with({"s": spec}))

    def test_redact_hides_every_secret_value(self):
        self.assertEqual(r.redact("bad value %s in %s" % (SALT, SALT), [SALT, ""]), "bad value *** in ***")


if __name__ == "__main__":
    unittest.main()
