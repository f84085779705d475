-- This run wrote enriched rows. Details: rows the run read (ingest_audit), rows it wrote to
-- transactions_enriched, rows it rejected as invalid, and duplicates it dropped.
-- A run that read no rows passes with a note saying why: its files held no data rows (each read file has an
-- audit row), or it had no files to read, because job bookmarks hand each file to one run only and an
-- earlier run's job may already have read this execution's files (overlapping executions, a re-run after
-- success). A run that read rows and wrote none (all invalid or all already loaded) fails.
WITH audit AS (
  SELECT count(*) AS files, coalesce(sum(rows_in), 0) AS rows_in
  FROM ${database}.ingest_audit
  WHERE run_id = ${run_id}
),
enriched AS (
  SELECT count(*) AS rows_out
  FROM ${database}.transactions_enriched
  WHERE run_id = ${run_id}
),
rejected AS (
  SELECT
    count(CASE WHEN reject_reason <> 'duplicate_transaction_id' THEN 1 END) AS rejected,
    count(CASE WHEN reject_reason = 'duplicate_transaction_id' THEN 1 END) AS duplicates
  FROM ${database}.rejected_transactions
  WHERE run_id = ${run_id}
)
SELECT
  enriched.rows_out > 0 OR audit.rows_in = 0 AS passed,
  audit.rows_in,
  enriched.rows_out,
  rejected.rejected,
  rejected.duplicates,
  CASE
    WHEN audit.files = 0 THEN 'no new rows: an earlier run read these files (job bookmark)'
    WHEN audit.rows_in = 0 THEN 'no rows: the files this run read hold no data rows'
  END AS note
FROM audit
CROSS JOIN enriched
CROSS JOIN rejected
