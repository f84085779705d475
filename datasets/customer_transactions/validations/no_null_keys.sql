-- No NULL keys in the curated tables: this run's enriched rows (ids, customer, date, partition keys, lineage)
-- and the whole customer_segments table (rewritten every run).
WITH enriched AS (
  SELECT
    count(CASE WHEN transaction_id IS NULL THEN 1 END) AS null_transaction_ids,
    count(CASE WHEN customer_id IS NULL THEN 1 END) AS null_customer_ids,
    count(CASE WHEN transaction_date IS NULL OR year IS NULL OR month IS NULL THEN 1 END) AS null_dates,
    count(CASE WHEN source_file IS NULL THEN 1 END) AS null_source_files
  FROM ${database}.transactions_enriched
  WHERE run_id = ${run_id}
),
segments AS (
  SELECT count(CASE WHEN customer_id IS NULL OR segment IS NULL THEN 1 END) AS null_segment_keys
  FROM ${database}.customer_segments
)
SELECT
  e.null_transaction_ids + e.null_customer_ids + e.null_dates + e.null_source_files + s.null_segment_keys = 0
    AS passed,
  e.null_transaction_ids,
  e.null_customer_ids,
  e.null_dates,
  e.null_source_files,
  s.null_segment_keys
FROM enriched AS e
CROSS JOIN segments AS s
