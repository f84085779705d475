-- The share of this run's raw rows rejected as invalid stays at or under the threshold (REJECTED_SHARE_MAX,
-- default 0.05). Duplicates are not counted: re-delivered data is expected, not dirty. A run that read
-- nothing has share 0. DOUBLE casts because Trino divides integers as integers.
WITH audit AS (
  SELECT coalesce(sum(rows_in), 0) AS rows_in
  FROM ${database}.ingest_audit
  WHERE run_id = ${run_id}
),
rejected AS (
  SELECT count(*) AS rejected
  FROM ${database}.rejected_transactions
  WHERE run_id = ${run_id} AND reject_reason <> 'duplicate_transaction_id'
),
share AS (
  SELECT
    a.rows_in,
    r.rejected,
    CASE WHEN a.rows_in = 0 THEN 0.0 ELSE CAST(r.rejected AS DOUBLE) / CAST(a.rows_in AS DOUBLE) END
      AS rejected_share
  FROM audit AS a
  CROSS JOIN rejected AS r
)
SELECT
  rejected_share <= ${rejected_share_max} AS passed,
  round(rejected_share, 4) AS rejected_share,
  ${rejected_share_max} AS rejected_share_max,
  rejected,
  rows_in
FROM share
