-- What this run wrote reconciles with what it read, to the cent: the valid raw amount it read (ingest_audit,
-- before de-duplication) equals the enriched amount it wrote plus the duplicates it rejected, and every raw
-- row it read is either enriched or rejected.
WITH audit AS (
  SELECT
    coalesce(sum(rows_in), 0) AS rows_in,
    coalesce(sum(valid_amount), 0) AS valid_amount
  FROM ${database}.ingest_audit
  WHERE run_id = ${run_id}
),
enriched AS (
  SELECT count(*) AS rows_out, coalesce(sum(transaction_amount), 0) AS enriched_amount
  FROM ${database}.transactions_enriched
  WHERE run_id = ${run_id}
),
rejected AS (
  SELECT
    count(*) AS rows_rejected,
    coalesce(sum(CASE WHEN reject_reason = 'duplicate_transaction_id' THEN transaction_amount END), 0)
      AS duplicate_amount
  FROM ${database}.rejected_transactions
  WHERE run_id = ${run_id}
)
SELECT
  CAST(a.valid_amount AS DECIMAL(38, 2)) = CAST(e.enriched_amount + r.duplicate_amount AS DECIMAL(38, 2))
    AND a.rows_in = e.rows_out + r.rows_rejected AS passed,
  CAST(a.valid_amount AS DECIMAL(38, 2)) AS valid_amount_read,
  CAST(e.enriched_amount AS DECIMAL(38, 2)) AS enriched_amount,
  CAST(r.duplicate_amount AS DECIMAL(38, 2)) AS duplicate_amount,
  a.rows_in,
  e.rows_out,
  r.rows_rejected
FROM audit AS a
CROSS JOIN enriched AS e
CROSS JOIN rejected AS r
