-- What this run read, per raw file: rows_in = valid rows + rejected rows, which the validations reconcile. Every
-- file the runner read has a row (`source_files`), one without data rows with zeros.
SELECT
  a.run_id,
  f.source_file,
  coalesce(c.rows_in, 0) AS rows_in,
  coalesce(c.valid_rows, 0) AS valid_rows
FROM source_files AS f
CROSS JOIN job_args AS a
LEFT JOIN (
  SELECT
    p.source_file,
    count(*) AS rows_in,
    count(CASE WHEN p.invalid_reason IS NULL THEN 1 END) AS valid_rows
  FROM parsed AS p
  GROUP BY p.source_file
) AS c
  ON c.source_file = f.source_file
