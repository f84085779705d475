-- Every parsed row with its reject_reason: invalid_reason, or duplicate_transaction_id for a valid row whose id
-- is already in transactions_enriched (loaded_ids) or when another valid row of this run with that id sorts
-- first (by source_file, date, amount, then customer, store, channel and category as text); NULL when it is loaded.
--
-- Cheap to compute from the stored `parsed`, costly to store (every row, 14 columns), so the
-- manifest marks it `materialize: false` and its two readers each compute it. Rows split on their id: the rows of
-- repeated ids come ranked from repeated_rows (stored, a few), every other row streams through with rank 1.
WITH ranked AS (
  SELECT p.*, 1 AS id_rank
  FROM parsed AS p
  LEFT JOIN repeated_rows AS r ON r.transaction_id = p.transaction_id
  WHERE r.transaction_id IS NULL
  UNION ALL
  SELECT * FROM repeated_rows
)
SELECT
  k.*,
  a.run_id,
  CASE
    WHEN k.invalid_reason IS NOT NULL THEN k.invalid_reason
    WHEN l.transaction_id IS NOT NULL OR k.id_rank > 1 THEN 'duplicate_transaction_id'
  END AS reject_reason
FROM ranked AS k
CROSS JOIN job_args AS a
-- An equality-only condition keeps this a hash join (an extra predicate made DuckDB fall back to a nested
-- loop). Invalid rows are sorted out by the CASE first, and loaded_ids is DISTINCT, so a row matches at most once.
LEFT JOIN loaded_ids AS l
  ON l.transaction_id = k.transaction_id
