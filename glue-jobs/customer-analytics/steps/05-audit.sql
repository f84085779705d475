-- What this run read, per raw file: the validations reconcile the written tables against these numbers
-- (rows_in = enriched + rejected; valid_amount = enriched amount + duplicate amount). Duplicates are valid rows,
-- so the counts need only `parsed`, not the joins of `checked`.
SELECT
  a.run_id,
  p.source_file,
  count(*) AS rows_in,
  count(CASE WHEN p.invalid_reason IS NULL THEN 1 END) AS valid_rows,
  coalesce(sum(CASE WHEN p.invalid_reason IS NULL THEN p.transaction_amount END), 0) AS valid_amount
FROM parsed AS p
CROSS JOIN job_args AS a
GROUP BY a.run_id, p.source_file
