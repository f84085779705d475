-- What this run read, per raw file: the validations reconcile the written tables against these numbers
-- (rows_in = enriched + rejected; valid_amount = enriched amount + duplicate amount). Duplicates are valid rows,
-- so the counts need only `parsed`, not the joins of `checked`. Every file the runner read has a row
-- (`source_files`), one without data rows (a header alone) with zeros.
SELECT
  a.run_id,
  f.source_file,
  coalesce(c.rows_in, 0) AS rows_in,
  coalesce(c.valid_rows, 0) AS valid_rows,
  coalesce(c.valid_amount, 0) AS valid_amount
FROM source_files AS f
CROSS JOIN job_args AS a
LEFT JOIN (
  SELECT
    p.source_file,
    count(*) AS rows_in,
    count(CASE WHEN p.invalid_reason IS NULL THEN 1 END) AS valid_rows,
    coalesce(sum(CASE WHEN p.invalid_reason IS NULL THEN p.transaction_amount END), 0) AS valid_amount
  FROM parsed AS p
  GROUP BY p.source_file
) AS c
  ON c.source_file = f.source_file
