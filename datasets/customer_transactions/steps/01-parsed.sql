-- Every raw row of this run once, parsed and judged. The one step that reads `source`, so the runner reads the
-- raw files a single time; it is stored once because four steps read it.
-- Parsing: each column goes through STRING first, because the crawler types a column by what it saw (bigint,
-- double, date or string); TRY_CAST and one-argument to_date are NULL on bad input in Spark 3.5 non-ANSI and in
-- DuckDB (spark-compat.sql).
-- invalid_reason: why a row is rejected, or NULL when it is valid. First failing rule wins: malformed_row (the
-- runner's _corrupt_record), missing_transaction_id, missing_customer_id, non_numeric_amount (also empty),
-- non_positive_amount (after rounding to cents), missing_date, unparseable_date. Duplicates are judged later (04-checked.sql).
SELECT
  t.*,
  CASE
    WHEN t._corrupt_record IS NOT NULL THEN 'malformed_row'
    WHEN t.transaction_id IS NULL THEN 'missing_transaction_id'
    WHEN t.customer_id IS NULL THEN 'missing_customer_id'
    WHEN t.transaction_amount IS NULL THEN 'non_numeric_amount'
    WHEN t.transaction_amount <= 0 THEN 'non_positive_amount'
    WHEN nullif(trim(t.transaction_date_raw), '') IS NULL THEN 'missing_date'
    WHEN t.transaction_date IS NULL THEN 'unparseable_date'
  END AS invalid_reason
FROM (
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
    -- As read, for rejected_transactions, which keeps a rejected row's raw text.
    CAST(s.store_id AS STRING) AS store_id_raw,
    CAST(s.channel AS STRING) AS channel_raw,
    CAST(s.product_category AS STRING) AS product_category_raw,
    -- The raw columns no step names, as read (job.yml source.passThrough): `s.col, ` for each.
    ${pass_through:s}
    -- A malformed row's text (a CSV row with more fields than its header, a stray quote), else NULL.
    s._corrupt_record,
    s.source_file
  FROM source AS s
) AS t
