-- Rows that do not become enriched rows, never silently dropped: the raw text as read, the reason, lineage.
SELECT
  transaction_id,
  customer_id,
  transaction_amount_raw,
  transaction_date_raw,
  transaction_amount,
  transaction_date,
  store_id_raw AS store_id,
  channel_raw AS channel,
  product_category_raw AS product_category,
  reject_reason,
  ${pass_through}
  source_file,
  run_id
FROM checked
WHERE reject_reason IS NOT NULL
