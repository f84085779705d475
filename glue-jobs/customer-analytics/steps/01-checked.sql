-- Every raw row of this run once, parsed and judged (one step, so the big intermediate is materialised once).
-- raw + typed: each column goes through STRING first, because the crawler types a column by what it saw (bigint,
-- double, date or string); TRY_CAST and one-argument to_date are NULL on bad input in Spark 3.5 non-ANSI and in
-- DuckDB (spark-compat.sql).
-- judged: why a row is rejected, or NULL when it is valid. First failing rule wins: missing_transaction_id,
-- missing_customer_id, non_numeric_amount (also empty), non_positive_amount (after rounding to cents),
-- missing_date, unparseable_date.
-- reject_reason adds duplicate_transaction_id for a valid row whose id is already in transactions_enriched (an
-- earlier run loaded it), or when another valid row of this run with that id sorts first (by source_file, date,
-- amount, then customer and pass-through columns as text).
WITH raw AS (
  SELECT
    CAST(s.transaction_id AS STRING) AS transaction_id_text,
    CAST(s.customer_id AS STRING) AS customer_id_text,
    CAST(s.transaction_amount AS STRING) AS transaction_amount_raw,
    CAST(s.transaction_date AS STRING) AS transaction_date_raw,
    CAST(s.store_id AS STRING) AS store_id_text,
    CAST(s.channel AS STRING) AS channel_text,
    CAST(s.product_category AS STRING) AS product_category_text,
    s.source_file,
    a.run_id
  FROM source AS s
  CROSS JOIN job_args AS a
),
typed AS (
  SELECT
    nullif(trim(r.transaction_id_text), '') AS transaction_id,
    nullif(trim(r.customer_id_text), '') AS customer_id,
    r.transaction_amount_raw,
    TRY_CAST(trim(r.transaction_amount_raw) AS DECIMAL(18, 2)) AS transaction_amount,
    r.transaction_date_raw,
    to_date(trim(r.transaction_date_raw)) AS transaction_date,
    nullif(trim(r.store_id_text), '') AS store_id,
    nullif(trim(r.channel_text), '') AS channel,
    nullif(trim(r.product_category_text), '') AS product_category,
    r.source_file,
    r.run_id
  FROM raw AS r
),
judged AS (
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
  FROM typed AS t
),
flagged AS (
  SELECT j.*, j.invalid_reason IS NULL AS is_valid FROM judged AS j
),
-- Ids that more than one valid row carries: few, so only their rows are sorted for the first-row pick (a window
-- over every row would sort the whole run).
repeated_ids AS (
  SELECT f.transaction_id FROM flagged AS f WHERE f.is_valid GROUP BY f.transaction_id HAVING count(*) > 1
),
marked AS (
  SELECT f.*, f.is_valid AND d.transaction_id IS NOT NULL AS is_repeated
  FROM flagged AS f
  LEFT JOIN repeated_ids AS d ON d.transaction_id = f.transaction_id
),
ranked AS (
  SELECT m.*, 1 AS id_rank FROM marked AS m WHERE NOT m.is_repeated
  UNION ALL
  SELECT
    m.*,
    row_number() OVER (
      PARTITION BY m.transaction_id
      ORDER BY m.source_file, m.transaction_date, m.transaction_amount,
        concat_ws('|', m.customer_id, m.store_id, m.channel, m.product_category)
    ) AS id_rank
  FROM marked AS m
  WHERE m.is_repeated
),
loaded AS (
  SELECT DISTINCT transaction_id FROM transactions_enriched
)
SELECT
  r.*,
  CASE
    WHEN r.invalid_reason IS NOT NULL THEN r.invalid_reason
    WHEN l.transaction_id IS NOT NULL OR r.id_rank > 1 THEN 'duplicate_transaction_id'
  END AS reject_reason
FROM ranked AS r
-- An equality-only condition keeps this a hash join (an extra predicate made DuckDB fall back to a nested
-- loop: quadratic from the second run on). Invalid rows are sorted out by the CASE first, and `loaded` is
-- DISTINCT, so a row matches at most once.
LEFT JOIN loaded AS l
  ON l.transaction_id = r.transaction_id
