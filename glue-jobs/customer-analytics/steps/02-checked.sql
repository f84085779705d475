-- Why each row is rejected, or NULL when it is kept. Validity rules, first failing one wins:
-- missing_transaction_id, missing_customer_id, non_numeric_amount (also empty), non_positive_amount
-- (after rounding to cents), missing_date, unparseable_date. A valid row is a duplicate_transaction_id when
-- its id is already in transactions_enriched (an earlier run loaded it), or when another valid row of this
-- run with the same id sorts first (by source_file, date, amount, customer, then the pass-through columns).
WITH judged AS (
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
ranked AS (
  SELECT
    j.*,
    row_number() OVER (
      PARTITION BY j.transaction_id, j.invalid_reason IS NULL
      ORDER BY j.source_file, j.transaction_date, j.transaction_amount, j.customer_id,
        j.store_id, j.channel, j.product_category
    ) AS id_rank
  FROM judged AS j
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
LEFT JOIN loaded AS l
  ON r.invalid_reason IS NULL AND l.transaction_id = r.transaction_id
