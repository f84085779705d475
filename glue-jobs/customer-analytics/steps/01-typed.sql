-- Every raw row of this run once, with its key columns parsed. Each column goes through STRING first: the
-- crawler types a column by what it saw (bigint, double, date or string), and this must work for all of them.
-- TRY_CAST and the one-argument to_date are NULL on bad input in Spark 3.5 and in DuckDB (spark-compat.sql).
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
  s.source_file,
  a.run_id
FROM source AS s
CROSS JOIN job_args AS a
