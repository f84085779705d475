"""The pure half of the lakepipe job runner: the job manifest (read by lakepipe_yaml.py, validated here), its
parameters and their types, pass-through columns, S3 keys and the Glue table shapes of outputs. Nothing here needs
Spark or Glue, so it is unit-tested with plain python3 (test/etl/runner/test_lakepipe_runner.py). The Glue job
itself is lakepipe_runner.py, which ships this module and lakepipe_yaml.py with --extra-py-files.
"""

import datetime as _dt
import json
import posixpath
import re

from lakepipe_yaml import ManifestError, parse_yaml  # noqa: F401 (the runner takes both from here)

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
ARGUMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
RESERVED_VIEWS = ("source", "source_files", "job_args")
PARAMETER_TYPES = ("string", "date", "timestamp", "bigint", "int", "double", "boolean")
SIMPLE_TYPES = ("string", "bigint", "int", "smallint", "tinyint", "double", "float", "boolean", "date", "timestamp")
DECIMAL = re.compile(r"^decimal\((\d{1,2}),\s*(\d{1,2})\)$")
REQUIRED_ARGS = ["JOB_NAME", "run_id", "database", "source_table", "curated_location", "manifest_s3_uri"]
# The dataset's contract (JSON: optional columns with their types, declared partition keys); see source_contract.
SOURCE_CONTRACT_ARG = "source_contract"
# The S3 source option that adds each record's file as a column: input_file_name() is empty for grouped files.
SOURCE_FILE_OPTIONS = {"attachFilename": "source_file"}


class JobArgumentError(Exception):
    """A job argument is missing or has the wrong shape."""


# ---------------------------------------------------------------------------------------------------------
# Manifest validation: the same rules as the DuckDB runner (local/glue/jobs/job-manifest.ts).


def is_glue_type(glue_type):
    if glue_type in SIMPLE_TYPES:
        return True
    m = DECIMAL.match(glue_type)
    return bool(m) and 1 <= int(m.group(1)) <= 38 and int(m.group(2)) <= int(m.group(1))


def validate_manifest(raw):
    """Checks a parsed manifest and returns it normalised (defaults filled, types lower-cased)."""
    problems = []
    if not isinstance(raw, dict):
        raise ManifestError("the manifest must be a mapping")
    name = raw.get("name")
    if not isinstance(name, str) or not re.match(r"^[A-Za-z0-9_-]+$", name):
        problems.append("name must match ^[A-Za-z0-9_-]+$")
    source = raw.get("source") or {}
    bookmark = source.get("bookmark", False) if isinstance(source, dict) else None
    if not isinstance(bookmark, bool):
        problems.append("source.bookmark must be true or false")
    pass_through = source.get("passThrough") if isinstance(source, dict) else None
    pass_through_except = None
    if pass_through is not None:
        pass_through_except = pass_through.get("except") if isinstance(pass_through, dict) else None
        if not isinstance(pass_through_except, list) or not all(IDENTIFIER.match(str(c)) for c in pass_through_except):
            problems.append("source.passThrough.except must be a list of column names")
            pass_through_except = []

    parameters = {}
    for key, spec in (raw.get("parameters") or {}).items():
        if not IDENTIFIER.match(str(key)) or not isinstance(spec, dict):
            problems.append("parameter %s: bad name or shape" % key)
            continue
        if not ARGUMENT.match(str(spec.get("argument", ""))):
            problems.append("parameter %s: bad argument name" % key)
        if spec.get("type") not in PARAMETER_TYPES:
            problems.append("parameter %s: type must be one of %s" % (key, ", ".join(PARAMETER_TYPES)))
        secret = spec.get("secret", False)
        if not isinstance(secret, bool):
            problems.append("parameter %s: secret must be true or false" % key)
        elif secret and (spec.get("type") != "string" or spec.get("default") is not None):
            problems.append("parameter %s: a secret is a string with no default" % key)
        parameters[key] = {
            "argument": spec.get("argument"),
            "type": spec.get("type"),
            "default": spec.get("default"),
            "secret": secret is True,
        }

    steps = []
    for step in raw.get("steps") or []:
        if not isinstance(step, dict) or not IDENTIFIER.match(str(step.get("name", ""))):
            problems.append("step %r: name must match ^[a-z_][a-z0-9_]*$" % (step,))
            continue
        sql = step.get("sql")
        if not isinstance(sql, str) or not sql or sql.startswith("/") or ".." in sql.split("/"):
            problems.append("step %s: sql must be a relative path inside the job folder" % step["name"])
        if step["name"] in RESERVED_VIEWS:
            problems.append("step name %s is reserved" % step["name"])
        if step["name"] in [s["name"] for s in steps]:
            problems.append("step %s is declared twice" % step["name"])
        materialize = step.get("materialize", True)
        if not isinstance(materialize, bool):
            problems.append("step %s: materialize must be true or false" % step["name"])
        steps.append({"name": step["name"], "sql": sql, "materialize": materialize is not False})
    if not steps:
        problems.append("at least one step is required")

    outputs = []
    step_names = [s["name"] for s in steps]
    for out in raw.get("outputs") or []:
        if not isinstance(out, dict):
            problems.append("output %r is not a mapping" % (out,))
            continue
        table = str(out.get("table", ""))
        if not IDENTIFIER.match(table):
            problems.append("output %s: table must match ^[a-z_][a-z0-9_]*$" % table)
        if out.get("step") not in step_names:
            problems.append("output %s names unknown step %s" % (table, out.get("step")))
        if table in step_names or table in RESERVED_VIEWS or table in [o["table"] for o in outputs]:
            problems.append("output %s clashes with a step, a runner view or another output" % table)
        path = str(out.get("path", ""))
        if not re.match(r"^[A-Za-z0-9_=-]+(/[A-Za-z0-9_=-]+)*/$", path):
            problems.append("output %s: path must be a relative folder ending in /" % table)
        if out.get("format") != "parquet":
            problems.append("output %s: format must be parquet" % table)
        compression = out.get("compression", "snappy")
        if compression not in ("snappy", "zstd", "gzip", "uncompressed"):
            problems.append("output %s: unsupported compression %s" % (table, compression))
        if out.get("mode") not in ("append", "overwrite"):
            problems.append("output %s: mode must be append or overwrite" % table)
        columns = []
        for col in out.get("columns") or []:
            col_name = str(col.get("name", "")) if isinstance(col, dict) else ""
            col_type = str(col.get("type", "")).strip().lower() if isinstance(col, dict) else ""
            if not IDENTIFIER.match(col_name) or not is_glue_type(col_type):
                problems.append("output %s: bad column %r" % (table, col))
            columns.append({"name": col_name, "type": col_type})
        names = [c["name"] for c in columns]
        keys = list(out.get("partitionKeys") or [])
        if not columns or len(set(names)) != len(names):
            problems.append("output %s: columns must be non-empty and unique" % table)
        if keys and (names[len(names) - len(keys) :] != keys or len(keys) == len(names)):
            problems.append("output %s: partitionKeys must be the last columns, in order" % table)
        out_pass_through = out.get("passThrough", False)
        if not isinstance(out_pass_through, bool):
            problems.append("output %s: passThrough must be true or false" % table)
        elif out_pass_through and pass_through_except is None:
            problems.append("output %s asks for passThrough, but source.passThrough is not set" % table)
        outputs.append(
            {
                "table": table,
                "step": out.get("step"),
                "path": path,
                "compression": compression,
                "mode": out.get("mode"),
                "partitionKeys": keys,
                "columns": columns,
                "passThrough": out_pass_through is True,
            }
        )
    if problems:
        raise ManifestError("invalid job manifest: " + "; ".join(problems))
    return {
        "name": name,
        "bookmark": bookmark,
        "passThroughExcept": pass_through_except,
        "parameters": parameters,
        "steps": steps,
        "outputs": outputs,
    }


# ---------------------------------------------------------------------------------------------------------
# Pass-through columns: the same rule and placeholder as the DuckDB runner (local/glue/jobs/pass-through.ts).

PASS_THROUGH = re.compile(r"\$\{pass_through(?::([a-z_][a-z0-9_]*))?\}")


def pass_through_columns(manifest, source_columns, excluded=()):
    """Source columns that no step names: plain identifiers, not excepted, not source_file, not an output column.

    `excluded`: further names that never pass through (the raw table's undeclared partition keys).
    """
    if manifest.get("passThroughExcept") is None:
        return []
    taken = set(manifest["passThroughExcept"]) | {"source_file"} | set(excluded)
    taken |= {c["name"] for out in manifest["outputs"] for c in out["columns"]}
    columns = []
    for name in source_columns:
        if IDENTIFIER.match(name) and name not in taken and name not in columns:
            columns.append(name)
    return columns


def expand_pass_through(sql, columns):
    """Replaces ${pass_through} / ${pass_through:alias} with `col`, per column (each followed by a comma)."""

    def columns_for(match):
        prefix = match.group(1) + "." if match.group(1) else ""
        return "".join("%s`%s`, " % (prefix, c) for c in columns)

    return PASS_THROUGH.sub(columns_for, sql)


# ---------------------------------------------------------------------------------------------------------
# Arguments, parameters, S3 locations and catalog shapes.


def split_s3_uri(uri):
    m = re.match(r"^s3://([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])/(.*)$", uri or "")
    if not m:
        raise JobArgumentError("not an s3:// URI: %r" % (uri,))
    return m.group(1), m.group(2)


def step_key(manifest_key, sql_path):
    """S3 key of a step file, relative to the manifest's folder; never outside it."""
    folder = posixpath.dirname(manifest_key)
    key = posixpath.normpath(posixpath.join(folder, sql_path))
    inside = key.startswith(folder + "/") if folder else not key.startswith("..")
    if not inside or sql_path.startswith("/"):
        raise ManifestError("step file %s leaves the job folder" % sql_path)
    return key


def output_location(curated_location, path):
    bucket, prefix = split_s3_uri(curated_location)
    prefix = prefix if prefix == "" or prefix.endswith("/") else prefix + "/"
    return "s3://%s/%s%s" % (bucket, prefix, path)


def optional_argument_names(parameters, argv):
    """Manifest arguments present on the command line (getResolvedOptions fails on absent ones)."""
    present = []
    for spec in parameters.values():
        name = spec["argument"]
        if name not in REQUIRED_ARGS and ("--" + name) in argv and name not in present:
            present.append(name)
    return present


def resolve_parameters(parameters, args, run_date, read_secret=None):
    """Each parameter's value as a Python value of its type, from the argument or its default.

    `run_date` (the default `run_date`) is the run's start date, UTC. A secret parameter's argument names an SSM
    parameter; `read_secret(name)` returns its value (see ssm_secret_reader), which no message ever contains.
    """
    values = {}
    for key, spec in parameters.items():
        raw = args.get(spec["argument"])
        if spec.get("secret"):
            values[key] = _secret_value(key, spec, raw, read_secret)
            continue
        if raw is None:
            raw = spec.get("default")
            if raw == "run_date":
                raw = run_date.isoformat()
        if raw is None:
            raise JobArgumentError("job argument --%s is required (parameter %s)" % (spec["argument"], key))
        values[key] = _typed(spec["type"], raw, spec["argument"])
    return values


def _secret_value(key, spec, name, read_secret):
    if not name:
        raise JobArgumentError("job argument --%s is required (secret parameter %s)" % (spec["argument"], key))
    if read_secret is None:
        raise JobArgumentError("secret parameter %s needs a secret reader" % key)
    value = read_secret(name)
    if not isinstance(value, str) or value == "":
        raise JobArgumentError("secret parameter %s: the parameter %s holds no value" % (key, name))
    return value


def ssm_secret_reader(ssm):
    """read_secret for resolve_parameters: an SSM SecureString by name, decrypted; errors name it, never its value."""

    def read(name):
        try:
            return ssm.get_parameter(Name=name, WithDecryption=True)["Parameter"]["Value"]
        except Exception as error:  # the client's own error classes; the message names the parameter only
            raise JobArgumentError("cannot read SSM parameter %s: %s" % (name, type(error).__name__)) from None

    return read


def redact(text, secrets):
    """`text` with every secret value replaced, for messages that may quote a value."""
    for value in secrets:
        if value:
            text = text.replace(value, "***")
    return text


# ---------------------------------------------------------------------------------------------------------
# The source contract: the same rules as the DuckDB runner (local/glue/jobs/source-contract.ts).


def source_contract(text):
    """The --source_contract argument parsed and checked, or None without it."""
    if text is None or text == "":
        return None
    try:
        raw = json.loads(text)
    except ValueError as error:
        raise JobArgumentError("job argument --%s is not JSON: %s" % (SOURCE_CONTRACT_ARG, error)) from None
    if not isinstance(raw, dict) or set(raw) - {"optional", "partitionKeys", "csv"}:
        raise JobArgumentError("job argument --%s: only optional, partitionKeys and csv" % SOURCE_CONTRACT_ARG)
    optional = []
    for column in raw.get("optional") or []:
        name = column.get("name") if isinstance(column, dict) else None
        kind = str(column.get("type", "")).strip().lower() if isinstance(column, dict) else ""
        if not isinstance(name, str) or not IDENTIFIER.match(name) or not is_glue_type(kind):
            raise JobArgumentError("job argument --%s: bad optional column %r" % (SOURCE_CONTRACT_ARG, column))
        optional.append({"name": name, "type": kind})
    keys = raw.get("partitionKeys") or []
    if not isinstance(keys, list) or not all(isinstance(k, str) and IDENTIFIER.match(k) for k in keys):
        raise JobArgumentError("job argument --%s: partitionKeys must be column names" % SOURCE_CONTRACT_ARG)
    csv = raw.get("csv")
    # The declared quote; Glue reads CSV by the table's SerDe, which the dataset's classifier sets from it.
    if csv is not None and (not isinstance(csv, dict) or set(csv) != {"quote"} or len(str(csv["quote"])) != 1):
        raise JobArgumentError("job argument --%s: csv must be {quote: one character}" % SOURCE_CONTRACT_ARG)
    contract = {"optional": optional, "partitionKeys": keys}
    if csv is not None:
        contract["csv"] = {"quote": csv["quote"]}
    return contract


def missing_optional_columns(contract, columns):
    """The contract's optional columns that the source lacks (any case), as (name, Glue type)."""
    present = {c.lower() for c in columns}
    return [(c["name"], c["type"]) for c in (contract or {}).get("optional", []) if c["name"] not in present]


def undeclared_partition_keys(contract, partition_keys):
    """The raw table's partition keys the contract does not declare: they never pass through."""
    if contract is None:
        return []
    return [k for k in partition_keys if k not in contract["partitionKeys"]]


def _typed(kind, raw, argument):
    text = str(raw).strip()
    try:
        if kind == "string":
            return str(raw)
        if kind == "date":
            return _dt.date.fromisoformat(text)
        if kind == "timestamp":
            return _dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
        if kind in ("bigint", "int"):
            return int(text)
        if kind == "double":
            return float(text)
        if kind == "boolean":
            if text.lower() in ("true", "false"):
                return text.lower() == "true"
            raise ValueError(text)
    except ValueError as error:
        raise JobArgumentError("job argument --%s is not a valid %s: %r" % (argument, kind, raw)) from error
    raise JobArgumentError("unsupported parameter type %s" % kind)


def glue_table_input(output, location):
    """A Glue CreateTable TableInput for an output: external Parquet table, partition keys last."""
    keys = output["partitionKeys"]
    data = [c for c in output["columns"] if c["name"] not in keys]
    parts = [c for c in output["columns"] if c["name"] in keys]
    return {
        "Name": output["table"],
        "TableType": "EXTERNAL_TABLE",
        "Parameters": {"classification": "parquet", "EXTERNAL": "TRUE", "parquet.compression": "SNAPPY"},
        "PartitionKeys": [{"Name": c["name"], "Type": c["type"]} for c in parts],
        "StorageDescriptor": {
            "Columns": [{"Name": c["name"], "Type": c["type"]} for c in data],
            "Location": location,
            "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
            "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
            "SerdeInfo": {
                "SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
                "Parameters": {"serialization.format": "1"},
            },
        },
    }
