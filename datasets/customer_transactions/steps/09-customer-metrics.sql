-- Per customer, over all enriched transactions. spending_volatility is the sample standard deviation (NULL for
-- one transaction); avg_days_between = lifetime_days / (count - 1), NULL for one transaction; recency_days
-- counts from the last transaction to the run's as_of date.
SELECT
  e.customer_id,
  sum(e.transaction_amount) AS total_spent,
  avg(CAST(e.transaction_amount AS DOUBLE)) AS avg_amount,
  count(*) AS transaction_count,
  min(e.transaction_date) AS first_transaction_date,
  max(e.transaction_date) AS last_transaction_date,
  stddev_samp(CAST(e.transaction_amount AS DOUBLE)) AS spending_volatility,
  datediff(max(e.transaction_date), min(e.transaction_date)) AS lifetime_days,
  CASE
    WHEN count(*) > 1
      THEN CAST(datediff(max(e.transaction_date), min(e.transaction_date)) AS DOUBLE) / (count(*) - 1)
  END AS avg_days_between,
  datediff(a.as_of, max(e.transaction_date)) AS recency_days,
  a.as_of
FROM transactions_enriched AS e
CROSS JOIN job_args AS a
GROUP BY e.customer_id, a.as_of
