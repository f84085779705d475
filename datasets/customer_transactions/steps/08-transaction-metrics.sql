-- Per transaction, over all enriched transactions (this run's included): its rank within the customer
-- (1 = first; ties on a date broken by transaction_id), the customer's running total up to and including it,
-- and the days since the customer's previous transaction (NULL for the first).
SELECT
  customer_id,
  transaction_id,
  transaction_date,
  transaction_amount,
  row_number() OVER (PARTITION BY customer_id ORDER BY transaction_date, transaction_id) AS transaction_rank,
  sum(transaction_amount) OVER (
    PARTITION BY customer_id ORDER BY transaction_date, transaction_id
    ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW
  ) AS running_total,
  datediff(
    transaction_date,
    lag(transaction_date) OVER (PARTITION BY customer_id ORDER BY transaction_date, transaction_id)
  ) AS days_since_previous
FROM transactions_enriched
