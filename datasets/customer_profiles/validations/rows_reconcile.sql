-- Every raw row this run read is a valid profile or a rejected row: rows_in = valid_rows + rejected.
WITH audit AS (
  SELECT coalesce(sum(rows_in), 0) AS rows_in, coalesce(sum(valid_rows), 0) AS valid_rows
  FROM ${database}.profile_ingest_audit
  WHERE run_id = ${run_id}
),
rejected AS (
  SELECT count(*) AS rejected
  FROM ${database}.rejected_profiles
  WHERE run_id = ${run_id}
)
SELECT
  a.rows_in = a.valid_rows + r.rejected AS passed,
  a.rows_in,
  a.valid_rows,
  r.rejected
FROM audit AS a
CROSS JOIN rejected AS r
