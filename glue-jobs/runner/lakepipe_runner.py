"""lakepipe generic job runner for AWS Glue 5.0 (Spark 3.5, Python 3.11).

Runs a job manifest (glue-jobs/<job>/job.yml, see docs/architecture.md, "Job manifest"): reads the source table from the Glue
Data Catalog through a job bookmark, exposes it as view `source` (every catalog column as text, plus
`source_file`) and the files read as view `source_files`, exposes the manifest parameters as the one-row view
`job_args`, runs each Spark SQL step in order as a view named after the step, and writes the outputs as snappy Parquet with the Glue sink that updates the catalog.
The DuckDB runner of the local twin (local/glue/jobs/jobs.ts) implements the same contract.

Job arguments: --JOB_NAME, --run_id, --database, --source_table, --curated_location (s3://bucket/prefix/),
--manifest_s3_uri (s3://.../glue-jobs/<job>/job.yml; the step files are read relative to it), one
optional --<argument> per manifest parameter (e.g. --as_of; a `secret: true` parameter's argument names an SSM
SecureString, read with decryption and never logged), and the optional --source_contract (the dataset's optional
columns, read as NULL of their type when the raw table lacks them, and the partition keys that may pass through). The manifest is read from S3 rather than
shipped with --extra-files, because its step files must travel with it and S3 keeps them together.

Atomicity: no output is written until every step has succeeded. Each step result is materialised
(localCheckpoint) unless the manifest marks it `materialize: false`, and a step that reads an output table
sees it through a temporary view that already includes this run's rows; the writes and the bookmark commit
happen at the end, so a failed step leaves no new data in the catalog and does not move the bookmark.

Manifest validation, parameters, types and catalog shapes live in lakepipe_manifest.py, its YAML reader in
lakepipe_yaml.py (both shipped with --extra-py-files, neither needs Spark); this file is the Glue job that uses them.
"""

import datetime as _dt
import re
import sys

from lakepipe_manifest import (
    IDENTIFIER,
    REQUIRED_ARGS,
    SOURCE_CONTRACT_ARG,
    SOURCE_FILE_OPTIONS,
    JobArgumentError,
    expand_pass_through,
    glue_table_input,
    missing_optional_columns,
    optional_argument_names,
    output_location,
    parse_yaml,
    pass_through_columns,
    redact,
    resolve_parameters,
    source_contract,
    split_s3_uri,
    ssm_secret_reader,
    step_key,
    undeclared_partition_keys,
    validate_manifest,
)

# ---------------------------------------------------------------------------------------------------------
# The Glue job. Imports of Glue and Spark live in main, so this module loads without them.


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
    from awsglue.utils import getResolvedOptions

    base = getResolvedOptions(argv, REQUIRED_ARGS)
    s3 = boto3.client("s3")
    glue = boto3.client("glue")
    manifest = read_manifest(s3, base["manifest_s3_uri"])
    present = optional_argument_names(manifest["parameters"], argv)
    present += [SOURCE_CONTRACT_ARG] if ("--" + SOURCE_CONTRACT_ARG) in argv else []
    args = getResolvedOptions(argv, REQUIRED_ARGS + present)
    database = args["database"]
    if not IDENTIFIER.match(database) or not IDENTIFIER.match(args["source_table"]):
        raise JobArgumentError("--database and --source_table must match ^[a-z_][a-z0-9_]*$")
    contract = source_contract(args.get(SOURCE_CONTRACT_ARG))
    run_date = _dt.datetime.now(_dt.timezone.utc).date()
    values = resolve_parameters(manifest["parameters"], args, run_date, ssm_secret_reader(boto3.client("ssm")))
    secrets = [values[k] for k, spec in manifest["parameters"].items() if spec["secret"]]
    try:
        run(manifest, args, values, contract, glue)
    except Exception as error:
        # A Spark message may quote a value the steps computed from a secret: never let one reach the logs.
        if not secrets:
            raise
        raise RuntimeError(redact("%s: %s" % (type(error).__name__, error), secrets)) from None


def run(manifest, args, values, contract, glue):
    from awsglue.context import GlueContext
    from awsglue.dynamicframe import DynamicFrame
    from awsglue.job import Job
    from pyspark.context import SparkContext
    from pyspark.sql import functions as F
    from pyspark.sql import types as T

    database = args["database"]

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
    # Each record's file from the S3 source itself (attachFilename): input_file_name() is empty for grouped files.
    source = glue_context.create_dynamic_frame.from_catalog(
        database=database,
        table_name=args["source_table"],
        transformation_ctx="source" if manifest["bookmark"] else "",
        additional_options=dict(SOURCE_FILE_OPTIONS),
    )
    # A column typed differently across files becomes a Glue "choice"; the steps cast through STRING anyway.
    source = source.resolveChoice(choice="cast:string").toDF()
    if not source.columns:  # nothing new since the bookmark: an empty frame has no schema at all
        source = spark.table("`%s`.`%s`" % (database, args["source_table"])).limit(0)
    if "source_file" not in source.columns:
        source = source.withColumn("source_file", F.lit(None).cast("string"))
    # Every column as text, as the DuckDB runner reads it: the steps cast as the manifest says. Raw columns no step
    # names pass through (the manifest's source.passThrough), partition keys only when the dataset declares them.
    source = source.select([F.col("`%s`" % c).cast("string").alias(c) for c in source.columns])
    table = glue.get_table(DatabaseName=database, Name=args["source_table"])["Table"]
    partition_keys = [k["Name"] for k in table.get("PartitionKeys", [])]
    pass_through = pass_through_columns(
        manifest, source.columns, excluded=undeclared_partition_keys(contract, partition_keys)
    )
    # An optional column the raw table lacks reads as NULL of its declared type, so the steps may name it.
    for name, kind in missing_optional_columns(contract, source.columns):
        source = source.withColumn(name, F.lit(None).cast(kind))
    # The steps read _corrupt_record, a malformed CSV row's text, which the DuckDB runner sets; Glue's reader
    # flags no row, so here it is NULL unless the source has it.
    if "_corrupt_record" not in source.columns:
        source = source.withColumn("_corrupt_record", F.lit(None).cast("string"))
    source.createOrReplaceTempView("source")
    # One row per file read, for the audit step. Spark knows a file by its rows only, so unlike the DuckDB runner
    # it lists no file that held no data rows.
    source.select("source_file").distinct().createOrReplaceTempView("source_files")
    # A record without its file would lose its lineage: fail before any step.
    if source.filter(F.col("source_file").isNull() | (F.col("source_file") == "")).limit(1).count():
        raise RuntimeError("the S3 source attached no file name to a record; lineage would be lost")

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
