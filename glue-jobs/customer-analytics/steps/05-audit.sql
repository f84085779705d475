-- What this run read, per raw file: the validations reconcile the written tables against these numbers
-- (rows_in = enriched + rejected; valid_amount = enriched amount + duplicate amount).
SELECT
  run_id,
  source_file,
  count(*) AS rows_in,
  count(CASE WHEN invalid_reason IS NULL THEN 1 END) AS valid_rows,
  coalesce(sum(CASE WHEN invalid_reason IS NULL THEN transaction_amount END), 0) AS valid_amount
FROM checked
GROUP BY run_id, source_file
