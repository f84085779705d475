"""lakepipe generic job runner for AWS Glue 5.0 (Spark 3.5, Python 3.11).

Runs a job manifest (glue-jobs/<job>/job.yml, see docs/architecture.md, "Job manifest"): reads the source table from the Glue
Data Catalog through a job bookmark, exposes it as view `source` (every catalog column as text, plus
`source_file`) and the files read as view `source_files`, exposes the manifest parameters as the one-row view
`job_args`, runs each Spark SQL step in order as a view named after the step, and writes the outputs as snappy Parquet with the Glue sink that updates the catalog.
The DuckDB runner of the local twin (local/glue/jobs/jobs.ts) implements the same contract.

Job arguments: --JOB_NAME, --run_id, --database, --source_table, --curated_location (s3://bucket/prefix/),
--manifest_s3_uri (s3://.../glue-jobs/<job>/job.yml; the step files are read relative to it), and one
optional --<argument> per manifest parameter (e.g. --as_of). The manifest is read from S3 rather than
shipped with --extra-files, because its step files must travel with it and S3 keeps them together.

Atomicity: no output is written until every step has succeeded. Each step result is materialised
(localCheckpoint) unless the manifest marks it `materialize: false`, and a step that reads an output table
sees it through a temporary view that already includes this run's rows; the writes and the bookmark commit
happen at the end, so a failed step leaves no new data in the catalog and does not move the bookmark.

The pure functions at the top (manifest parsing and validation, parameters, types, catalog shapes) need no
Spark and are unit-tested with plain python3 (test/etl/runner/test_lakepipe_runner.py).
"""

import datetime as _dt
import json
import posixpath
import re
import sys

IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")
ARGUMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_-]*$")
RESERVED_VIEWS = ("source", "source_files", "job_args")
PARAMETER_TYPES = ("string", "date", "timestamp", "bigint", "int", "double", "boolean")
SIMPLE_TYPES = ("string", "bigint", "int", "smallint", "tinyint", "double", "float", "boolean", "date", "timestamp")
DECIMAL = re.compile(r"^decimal\((\d{1,2}),\s*(\d{1,2})\)$")
REQUIRED_ARGS = ["JOB_NAME", "run_id", "database", "source_table", "curated_location", "manifest_s3_uri"]


class ManifestError(Exception):
    """The job manifest is missing, malformed or inconsistent."""


class JobArgumentError(Exception):
    """A job argument is missing or has the wrong shape."""


# ---------------------------------------------------------------------------------------------------------
# YAML: PyYAML when the Glue image has it, else a parser for the small subset manifests use.


def _strip_comment(line):
    """Drops a trailing `# comment` that is outside quotes."""
    quote = None
    for i, ch in enumerate(line):
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch == "#" and (i == 0 or line[i - 1] in " \t"):
            return line[:i].rstrip()
    return line.rstrip()


def _split_flow(text):
    """Splits the inside of a flow collection on top-level commas."""
    parts, depth, quote, start = [], 0, None, 0
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch in "[{":
            depth += 1
        elif ch in "]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    last = text[start:]
    if last.strip():
        parts.append(last)
    return [p.strip() for p in parts]


def _split_key(text):
    """'key: value' -> (key, value) on the first ': ' (or a trailing ':') outside quotes; None if not a pair."""
    quote = None
    for i, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"'):
            quote = ch
        elif ch == ":" and (i + 1 == len(text) or text[i + 1] == " "):
            return _scalar(text[:i].strip()), text[i + 1 :].strip()
    return None


def _scalar(text):
    """A YAML 1.2 core-schema scalar: quoted string, null, bool, int, float, else plain string."""
    if text.startswith(("&", "*", "!", "|", ">", "@", "`")):
        raise ManifestError("YAML feature not supported by the fallback parser: %s" % text)
    if text.startswith("{") and text.endswith("}"):
        out = {}
        for part in _split_flow(text[1:-1]):
            pair = _split_key(part)
            if pair is None:
                raise ManifestError("not a key: value pair in a flow mapping: %s" % part)
            out[pair[0]] = _scalar(pair[1])
        return out
    if text.startswith("[") and text.endswith("]"):
        return [_scalar(p) for p in _split_flow(text[1:-1])]
    if len(text) >= 2 and text[0] == text[-1] == '"':
        return json.loads(text)
    if len(text) >= 2 and text[0] == text[-1] == "'":
        return text[1:-1].replace("''", "'")
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in ("true", "True", "TRUE"):
        return True
    if text in ("false", "False", "FALSE"):
        return False
    if re.match(r"^[-+]?[0-9]+$", text):
        return int(text)
    if re.match(r"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$", text):
        return float(text)
    return text


def parse_yaml_subset(text):
    """Parses block mappings, block sequences of scalars or mappings, flow collections and scalars.

    Enough for job manifests; anchors, multi-line strings and multiple documents are refused.
    """
    lines = []
    for raw in text.splitlines():
        if "\t" in raw[: len(raw) - len(raw.lstrip())]:
            raise ManifestError("tabs are not allowed for indentation")
        body = _strip_comment(raw)
        if body.strip() in ("", "---"):
            continue
        if body.strip().startswith(("&", "*", "|", ">", "%")) or body.rstrip().endswith(("|", ">")):
            raise ManifestError("YAML feature not supported by the fallback parser: %s" % body.strip())
        lines.append((len(body) - len(body.lstrip(" ")), body.strip()))

    def block(i, indent):
        if i >= len(lines):
            return None, i
        if lines[i][1].startswith("- ") or lines[i][1] == "-":
            return seq(i, lines[i][0])
        return mapping(i, lines[i][0])

    def mapping(i, indent):
        out = {}
        while i < len(lines) and lines[i][0] == indent and not lines[i][1].startswith("- "):
            pair = _split_key(lines[i][1])
            if pair is None:
                raise ManifestError("expected key: value, got: %s" % lines[i][1])
            key, rest = pair
            if key in out:
                raise ManifestError("duplicate key: %s" % key)
            i += 1
            if rest:
                out[key] = _scalar(rest)
            elif i < len(lines) and (lines[i][0] > indent or (lines[i][0] == indent and lines[i][1].startswith("- "))):
                out[key], i = block(i, lines[i][0])
            else:
                out[key] = None
        if i < len(lines) and lines[i][0] > indent:
            raise ManifestError("unexpected indentation at: %s" % lines[i][1])
        return out, i

    def seq(i, indent):
        out = []
        while i < len(lines) and lines[i][0] == indent and (lines[i][1].startswith("- ") or lines[i][1] == "-"):
            item = lines[i][1][1:].strip()
            if item == "":
                i += 1
                value, i = block(i, lines[i][0]) if i < len(lines) and lines[i][0] > indent else (None, i)
                out.append(value)
            elif _split_key(item) is not None and not item.startswith(("{", "[", '"', "'")):
                # "- key: value" starts a mapping whose further keys are indented to the key's column
                child = indent + 2
                lines[i] = (child, item)
                value, i = mapping(i, child)
                out.append(value)
            else:
                out.append(_scalar(item))
                i += 1
        return out, i

    value, end = block(0, 0)
    if end != len(lines):
        raise ManifestError("could not parse the manifest near: %s" % lines[end][1])
    return value


def parse_yaml(text):
    try:
        import yaml  # PyYAML, when the Glue image provides it
    except ImportError:
        return parse_yaml_subset(text)
    return yaml.safe_load(text)


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
        parameters[key] = {"argument": spec.get("argument"), "type": spec.get("type"), "default": spec.get("default")}

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


def pass_through_columns(manifest, source_columns):
    """Source columns that no step names: plain identifiers, not excepted, not source_file, not an output column."""
    if manifest.get("passThroughExcept") is None:
        return []
    taken = set(manifest["passThroughExcept"]) | {"source_file"}
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


def resolve_parameters(parameters, args, run_date):
    """Each parameter's value as a Python value of its type, from the argument or its default.

    `run_date` (the default `run_date`) is the run's start date, UTC.
    """
    values = {}
    for key, spec in parameters.items():
        raw = args.get(spec["argument"])
        if raw is None:
            raw = spec.get("default")
            if raw == "run_date":
                raw = run_date.isoformat()
        if raw is None:
            raise JobArgumentError("job argument --%s is required (parameter %s)" % (spec["argument"], key))
        values[key] = _typed(spec["type"], raw, spec["argument"])
    return values


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


# ---------------------------------------------------------------------------------------------------------
# The Glue job. Imports of Glue and Spark live here, so the functions above run without them.


def read_manifest(s3, manifest_uri):
    bucket, key = split_s3_uri(manifest_uri)
    text = s3.get_object(Bucket=bucket, Key=key)["Body"].read().decode("utf-8")
    manifest = validate_manifest(parse_yaml(text))
    for step in manifest["steps"]:
        sql = s3.get_object(Bucket=bucket, Key=step_key(key, step["sql"]))["Body"].read().decode("utf-8")
        step["text"] = re.sub(r";\s*$", "", sql.strip())
    return manifest


def ensure_output_tables(glue, database, manifest, curated_location):
    """Creates each missing output table empty, with its declared schema, so steps may read it on run one."""
    for out in manifest["outputs"]:
        try:
            glue.get_table(DatabaseName=database, Name=out["table"])
        except glue.exceptions.EntityNotFoundException:
            location = output_location(curated_location, out["path"])
            glue.create_table(DatabaseName=database, TableInput=glue_table_input(out, location))


def drop_partitions(glue, database, table):
    """Removes every catalog partition of a table that is about to be overwritten."""
    paginator = glue.get_paginator("get_partitions")
    values = []
    for page in paginator.paginate(DatabaseName=database, TableName=table):
        values.extend({"Values": p["Values"]} for p in page["Partitions"])
    for i in range(0, len(values), 25):  # BatchDeletePartition takes at most 25 per call
        glue.batch_delete_partition(DatabaseName=database, TableName=table, PartitionsToDelete=values[i : i + 25])


def main(argv):
    import boto3
    from awsglue.context import GlueContext
    from awsglue.dynamicframe import DynamicFrame
    from awsglue.job import Job
    from awsglue.utils import getResolvedOptions
    from pyspark.context import SparkContext
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    base = getResolvedOptions(argv, REQUIRED_ARGS)
    s3 = boto3.client("s3")
    glue = boto3.client("glue")
    manifest = read_manifest(s3, base["manifest_s3_uri"])
    args = getResolvedOptions(argv, REQUIRED_ARGS + optional_argument_names(manifest["parameters"], argv))
    database = args["database"]
    if not IDENTIFIER.match(database) or not IDENTIFIER.match(args["source_table"]):
        raise JobArgumentError("--database and --source_table must match ^[a-z_][a-z0-9_]*$")
    run_date = _dt.datetime.now(_dt.timezone.utc).date()
    values = resolve_parameters(manifest["parameters"], args, run_date)

    sc = SparkContext.getOrCreate()
    glue_context = GlueContext(sc)
    spark = glue_context.spark_session
    # The steps are written for Spark 3.5's non-ANSI semantics (as the DuckDB shim reproduces) and UTC dates.
    spark.conf.set("spark.sql.ansi.enabled", "false")
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    spark.catalog.setCurrentDatabase(database)

    ensure_output_tables(glue, database, manifest, args["curated_location"])

    # Source: through the bookmark when the manifest asks for it (the job must run with job-bookmark-enable).
    source = glue_context.create_dynamic_frame.from_catalog(
        database=database,
        table_name=args["source_table"],
        transformation_ctx="source" if manifest["bookmark"] else "",
    )
    # A column typed differently across files becomes a Glue "choice"; the steps cast through STRING anyway.
    source = source.resolveChoice(choice="cast:string").toDF()
    if not source.columns:  # nothing new since the bookmark: an empty frame has no schema at all
        source = spark.table("`%s`.`%s`" % (database, args["source_table"])).limit(0)
    # Every column as text, as the DuckDB runner reads it: the steps cast as the manifest says. Raw columns no step
    # names pass through (the manifest's source.passThrough).
    source = source.select([F.col("`%s`" % c).cast("string").alias(c) for c in source.columns])
    pass_through = pass_through_columns(manifest, source.columns)
    # The steps read _corrupt_record, a malformed CSV row's text, which the DuckDB runner sets; Glue's reader
    # flags no row, so here it is NULL unless the source has it.
    if "_corrupt_record" not in source.columns:
        source = source.withColumn("_corrupt_record", F.lit(None).cast("string"))
    source = source.withColumn("source_file", F.input_file_name())
    source.createOrReplaceTempView("source")
    # One row per file read, for the audit step. Spark knows a file by its rows only, so unlike the DuckDB runner
    # it lists no file that held no data rows.
    source.select("source_file").distinct().createOrReplaceTempView("source_files")
    # input_file_name() is empty when Spark cannot tell the file (e.g. some grouped reads): fail before any step.
    if source.filter(F.col("source_file") == "").limit(1).count():
        raise RuntimeError("input_file_name() returned no file name; lineage would be lost")

    spark_types = {"string": T.StringType(), "date": T.DateType(), "timestamp": T.TimestampType()}
    spark_types.update({"bigint": T.LongType(), "int": T.IntegerType(), "double": T.DoubleType()})
    spark_types["boolean"] = T.BooleanType()
    schema = T.StructType(
        [T.StructField(k, spark_types[spec["type"]], False) for k, spec in manifest["parameters"].items()]
    )
    spark.createDataFrame([tuple(values[k] for k in manifest["parameters"])], schema).createOrReplaceTempView(
        "job_args"
    )

    staged = []
    for step in manifest["steps"]:
        # Materialised once: later steps and writes must not recompute a step against changed tables. A step the
        # manifest marks materialize: false reads only materialised steps and is cheaper to recompute than to store.
        result = spark.sql(expand_pass_through(step["text"], pass_through))
        if step["materialize"]:
            result = result.localCheckpoint(eager=True)
        result.createOrReplaceTempView(step["name"])
        for out in [o for o in manifest["outputs"] if o["step"] == step["name"]]:
            declared = [F.col("`%s`" % c["name"]).cast(c["type"]).alias(c["name"]) for c in out["columns"]]
            keys = len(out["partitionKeys"])
            extra = [F.col("`%s`" % c).cast("string").alias(c) for c in pass_through] if out["passThrough"] else []
            # Pass-through columns after the data columns; the Glue sink adds new ones to the catalog table.
            rows = result.select(declared[: len(declared) - keys] + extra + declared[len(declared) - keys :])
            rows = rows.localCheckpoint(eager=True)
            staged.append((out, rows))
            # Later steps see the declared columns, as in the DuckDB runner.
            names = ["`%s`" % c["name"] for c in out["columns"]]
            if out["mode"] == "append":
                existing = spark.table("`%s`.`%s`" % (database, out["table"]))
                visible = existing.select(names).unionByName(rows.select(names))
            else:
                visible = rows.select(names)
            # Later steps that name the table read it including this run's rows, before anything is written.
            visible.createOrReplaceTempView(out["table"])

    for out, rows in staged:
        location = output_location(args["curated_location"], out["path"])
        if out["mode"] == "overwrite":
            glue_context.purge_s3_path(location, {"retentionPeriod": 0})
            drop_partitions(glue, database, out["table"])
        sink = glue_context.getSink(
            connection_type="s3",
            path=location,
            enableUpdateCatalog=True,
            updateBehavior="UPDATE_IN_DATABASE",
            partitionKeys=out["partitionKeys"],
            transformation_ctx="write_%s" % out["table"],
        )
        sink.setFormat("glueparquet", compression=out["compression"])
        sink.setCatalogInfo(catalogDatabase=database, catalogTableName=out["table"])
        sink.writeFrame(DynamicFrame.fromDF(rows, glue_context, out["table"]))
        spark.catalog.refreshTable("`%s`.`%s`" % (database, out["table"]))

    job.commit()


if __name__ == "__main__":
    main(sys.argv)
