-- Every raw row of this run once, parsed and judged (one step, so the big intermediate is materialised once).
-- Parsing: each column goes through STRING first, because the crawler types a column by what it saw (bigint,
-- double, date or string); TRY_CAST and one-argument to_date are NULL on bad input in Spark 3.5 non-ANSI and in
-- DuckDB (spark-compat.sql).
-- invalid_reason: why a row is rejected, or NULL when it is valid. First failing rule wins: missing_transaction_id,
-- missing_customer_id, non_numeric_amount (also empty), non_positive_amount (after rounding to cents),
-- missing_date, unparseable_date.
-- reject_reason adds duplicate_transaction_id for a valid row whose id is already in transactions_enriched (an
-- earlier run loaded it), or when another valid row of this run with that id sorts first (by source_file, date,
-- amount, then customer and pass-through columns as text).
--
-- Shape, for speed on both engines: no CTE over every row is read twice (DuckDB stores such a CTE as a copy of
-- the whole run; measured on 10M rows: 31 s -> 19 s for this step). Rows split on their id first: ids seen more
-- than once among ALL raw rows (a superset of ids repeated among valid rows; a few, and a row alone among the
-- valid ones still ranks 1) are read and ranked apart, every other row streams through with rank 1. That
-- needs the parsing and judging written twice: `once` and `repeated` must stay identical but for their FROM.
--
-- Ids are told apart by their hash: grouping 10M hashes is cheaper than grouping 10M strings (DuckDB: step
-- 15.7 s -> 14.5 s), and a collision only sends a few more rows through the ranking, where each still ranks among
-- the valid rows of its own id.
WITH repeated_hashes AS (
  SELECT hash(trim(CAST(s.transaction_id AS STRING))) AS id_hash
  FROM source AS s
  WHERE nullif(trim(CAST(s.transaction_id AS STRING)), '') IS NOT NULL
  GROUP BY 1
  HAVING count(*) > 1
),
once AS (
  SELECT
    nullif(trim(CAST(s.transaction_id AS STRING)), '') AS transaction_id,
    nullif(trim(CAST(s.customer_id AS STRING)), '') AS customer_id,
    CAST(s.transaction_amount AS STRING) AS transaction_amount_raw,
    TRY_CAST(trim(CAST(s.transaction_amount AS STRING)) AS DECIMAL(18, 2)) AS transaction_amount,
    CAST(s.transaction_date AS STRING) AS transaction_date_raw,
    to_date(trim(CAST(s.transaction_date AS STRING))) AS transaction_date,
    nullif(trim(CAST(s.store_id AS STRING)), '') AS store_id,
    nullif(trim(CAST(s.channel AS STRING)), '') AS channel,
    nullif(trim(CAST(s.product_category AS STRING)), '') AS product_category,
    s.source_file
  FROM source AS s
  LEFT JOIN repeated_hashes AS d ON d.id_hash = hash(trim(CAST(s.transaction_id AS STRING)))
  WHERE d.id_hash IS NULL
),
repeated AS (
  SELECT
    nullif(trim(CAST(s.transaction_id AS STRING)), '') AS transaction_id,
    nullif(trim(CAST(s.customer_id AS STRING)), '') AS customer_id,
    CAST(s.transaction_amount AS STRING) AS transaction_amount_raw,
    TRY_CAST(trim(CAST(s.transaction_amount AS STRING)) AS DECIMAL(18, 2)) AS transaction_amount,
    CAST(s.transaction_date AS STRING) AS transaction_date_raw,
    to_date(trim(CAST(s.transaction_date AS STRING))) AS transaction_date,
    nullif(trim(CAST(s.store_id AS STRING)), '') AS store_id,
    nullif(trim(CAST(s.channel AS STRING)), '') AS channel,
    nullif(trim(CAST(s.product_category AS STRING)), '') AS product_category,
    s.source_file
  FROM source AS s
  JOIN repeated_hashes AS d ON d.id_hash = hash(trim(CAST(s.transaction_id AS STRING)))
),
judged_once AS (
  SELECT
    t.*,
    CASE
      WHEN t.transaction_id IS NULL THEN 'missing_transaction_id'
      WHEN t.customer_id IS NULL THEN 'missing_customer_id'
      WHEN t.transaction_amount IS NULL THEN 'non_numeric_amount'
      WHEN t.transaction_amount <= 0 THEN 'non_positive_amount'
      WHEN nullif(trim(t.transaction_date_raw), '') IS NULL THEN 'missing_date'
      WHEN t.transaction_date IS NULL THEN 'unparseable_date'
    END AS invalid_reason
  FROM once AS t
),
judged_repeated AS (
  SELECT
    t.*,
    CASE
      WHEN t.transaction_id IS NULL THEN 'missing_transaction_id'
      WHEN t.customer_id IS NULL THEN 'missing_customer_id'
      WHEN t.transaction_amount IS NULL THEN 'non_numeric_amount'
      WHEN t.transaction_amount <= 0 THEN 'non_positive_amount'
      WHEN nullif(trim(t.transaction_date_raw), '') IS NULL THEN 'missing_date'
      WHEN t.transaction_date IS NULL THEN 'unparseable_date'
    END AS invalid_reason
  FROM repeated AS t
),
ranked AS (
  SELECT j.*, 1 AS id_rank FROM judged_once AS j
  UNION ALL
  -- Valid rows rank among the valid rows of their id; an invalid row's rank is never looked at.
  SELECT
    j.*,
    row_number() OVER (
      PARTITION BY j.transaction_id, j.invalid_reason IS NULL
      ORDER BY j.source_file, j.transaction_date, j.transaction_amount,
        concat_ws('|', j.customer_id, j.store_id, j.channel, j.product_category)
    ) AS id_rank
  FROM judged_repeated AS j
),
loaded AS (
  SELECT DISTINCT transaction_id FROM transactions_enriched
)
SELECT
  r.*,
  a.run_id,
  CASE
    WHEN r.invalid_reason IS NOT NULL THEN r.invalid_reason
    WHEN l.transaction_id IS NOT NULL OR r.id_rank > 1 THEN 'duplicate_transaction_id'
  END AS reject_reason
FROM ranked AS r
CROSS JOIN job_args AS a
-- An equality-only condition keeps this a hash join (an extra predicate made DuckDB fall back to a nested
-- loop: quadratic from the second run on). Invalid rows are sorted out by the CASE first, and `loaded` is
-- DISTINCT, so a row matches at most once.
LEFT JOIN loaded AS l
  ON l.transaction_id = r.transaction_id
