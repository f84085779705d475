-- Kept rows, enriched: day_of_week uses Spark's numbering (1 = Sunday ... 7 = Saturday);
-- amount_category is low under 50, medium under 200, else high.
SELECT
  transaction_id,
  customer_id,
  transaction_amount,
  transaction_date,
  dayofweek(transaction_date) AS day_of_week,
  CASE
    WHEN transaction_amount < 50 THEN 'low'
    WHEN transaction_amount < 200 THEN 'medium'
    ELSE 'high'
  END AS amount_category,
  store_id,
  channel,
  product_category,
  ${pass_through}
  source_file,
  run_id,
  year(transaction_date) AS year,
  month(transaction_date) AS month
FROM checked
WHERE reject_reason IS NULL
