-- The latest profile per customer: this run's valid rows and the profiles already current, ranked by updated_at
-- (latest first); on a tie this run's row wins over the stored one, then the later source file, then the hash,
-- so the choice never depends on read order. A profile keeps the lineage (source_file, run_id) of the run that
-- read it. Superseded versions are history, not errors: the audit counts them among the valid rows.
WITH candidates AS (
  SELECT
    customer_id, email_sha256, country, loyalty_tier, signup_date, updated_at, source_file, run_id,
    1 AS from_this_run
  FROM parsed
  WHERE invalid_reason IS NULL
  UNION ALL
  SELECT
    customer_id, email_sha256, country, loyalty_tier, signup_date, updated_at, source_file, run_id,
    0 AS from_this_run
  FROM customer_profiles_current
),
ranked AS (
  SELECT
    c.*,
    row_number() OVER (
      PARTITION BY c.customer_id
      ORDER BY c.updated_at DESC, c.from_this_run DESC, c.source_file DESC, c.email_sha256 DESC
    ) AS profile_rank
  FROM candidates AS c
)
SELECT customer_id, email_sha256, country, loyalty_tier, signup_date, updated_at, source_file, run_id
FROM ranked
WHERE profile_rank = 1
