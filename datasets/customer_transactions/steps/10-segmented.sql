-- RFM-style segments. Thresholds are approximate percentiles over all customers: M = total_spent >= the 80th
-- percentile, F = transaction_count >= the 80th percentile, R = recency_days <= the 20th percentile (recent).
-- Exactly one segment per customer, the first rule that holds wins:
--   champion (R and F and M), loyal_customer (R and F), big_spender (M), frequent_buyer (F), regular_customer.
WITH thresholds AS (
  SELECT
    percentile_approx(total_spent, 0.8) AS monetary_p80,
    percentile_approx(transaction_count, 0.8) AS frequency_p80,
    percentile_approx(recency_days, 0.2) AS recency_p20
  FROM customer_metrics
)
SELECT
  m.*,
  t.monetary_p80,
  t.frequency_p80,
  t.recency_p20,
  CASE
    WHEN m.recency_days <= t.recency_p20 AND m.transaction_count >= t.frequency_p80
      AND m.total_spent >= t.monetary_p80 THEN 'champion'
    WHEN m.recency_days <= t.recency_p20 AND m.transaction_count >= t.frequency_p80 THEN 'loyal_customer'
    WHEN m.total_spent >= t.monetary_p80 THEN 'big_spender'
    WHEN m.transaction_count >= t.frequency_p80 THEN 'frequent_buyer'
    ELSE 'regular_customer'
  END AS segment
FROM customer_metrics AS m
CROSS JOIN thresholds AS t
