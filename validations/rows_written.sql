-- This run wrote enriched rows. Details: rows the run read (ingest_audit), rows it wrote to
-- transactions_enriched, rows it rejected as invalid, and duplicates it dropped.
WITH audit AS (
  SELECT coalesce(sum(rows_in), 0) AS rows_in
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
  enriched.rows_out > 0 AS passed,
  audit.rows_in,
  enriched.rows_out,
  rejected.rejected,
  rejected.duplicates
FROM audit
CROSS JOIN enriched
CROSS JOIN rejected
