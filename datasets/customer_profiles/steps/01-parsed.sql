-- Every raw row of this run once, parsed and judged; the one step that reads `source`. The email leaves here
-- only as email_sha256, SHA-256 of the job's salt followed by the address (trimmed, lower case), so no later step
-- or output can write it in clear; equal addresses keep equal hashes within one salt, for joins.
-- Parsing goes through STRING first, because the crawler types a column by what it saw; TRY_CAST and one-argument
-- to_date are NULL on bad input in Spark 3.5 non-ANSI and in DuckDB (spark-compat.sql).
-- invalid_reason: why a row is rejected, or NULL when it is valid. First failing rule wins: malformed_row,
-- missing_customer_id, missing_email, invalid_email (no "@" between other characters), missing_updated_at,
-- unparseable_updated_at, unparseable_signup_date (a signup date that is given but is not a date).
SELECT
  t.customer_id,
  CASE WHEN t.email IS NOT NULL THEN sha2(concat(a.email_salt, t.email), 256) END AS email_sha256,
  t.country,
  t.loyalty_tier,
  t.signup_date_raw,
  t.signup_date,
  t.updated_at_raw,
  t.updated_at,
  CASE
    WHEN t._corrupt_record IS NOT NULL THEN 'malformed_row'
    WHEN t.customer_id IS NULL THEN 'missing_customer_id'
    WHEN t.email IS NULL THEN 'missing_email'
    WHEN NOT (t.email LIKE '_%@_%') THEN 'invalid_email'
    WHEN nullif(trim(t.updated_at_raw), '') IS NULL THEN 'missing_updated_at'
    WHEN t.updated_at IS NULL THEN 'unparseable_updated_at'
    WHEN nullif(trim(t.signup_date_raw), '') IS NOT NULL AND t.signup_date IS NULL THEN 'unparseable_signup_date'
  END AS invalid_reason,
  t.source_file,
  a.run_id
FROM (
  SELECT
    nullif(trim(CAST(s.customer_id AS STRING)), '') AS customer_id,
    lower(nullif(trim(CAST(s.email AS STRING)), '')) AS email,
    upper(nullif(trim(CAST(s.country AS STRING)), '')) AS country,
    lower(nullif(trim(CAST(s.loyalty_tier AS STRING)), '')) AS loyalty_tier,
    CAST(s.signup_date AS STRING) AS signup_date_raw,
    to_date(trim(CAST(s.signup_date AS STRING))) AS signup_date,
    CAST(s.updated_at AS STRING) AS updated_at_raw,
    TRY_CAST(trim(CAST(s.updated_at AS STRING)) AS TIMESTAMP) AS updated_at,
    s._corrupt_record,
    s.source_file
  FROM source AS s
) AS t
CROSS JOIN job_args AS a
