-- This run's valid rows reached customer_profiles_current: every customer with a valid row in this run has a
-- current profile. A run that read no valid rows passes with a note (its files held none, or a job bookmark
-- had handed them to an earlier run).
WITH audit AS (
  SELECT count(*) AS files, coalesce(sum(rows_in), 0) AS rows_in, coalesce(sum(valid_rows), 0) AS valid_rows
  FROM ${database}.profile_ingest_audit
  WHERE run_id = ${run_id}
),
current_profiles AS (
  SELECT count(*) AS profiles
  FROM ${database}.customer_profiles_current
)
SELECT
  c.profiles > 0 OR a.valid_rows = 0 AS passed,
  a.rows_in,
  a.valid_rows,
  c.profiles,
  CASE
    WHEN a.files = 0 THEN 'no new rows: an earlier run read these files (job bookmark)'
    WHEN a.valid_rows = 0 THEN 'no valid rows in the files this run read'
  END AS note
FROM audit AS a
CROSS JOIN current_profiles AS c
