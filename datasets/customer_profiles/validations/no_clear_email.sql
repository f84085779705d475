-- No email in clear: every email_sha256 the curated tables hold is 64 lower-case hex digits (a SHA-256), in
-- the current profiles and in the rows this run rejected.
WITH hashes AS (
  SELECT email_sha256 FROM ${database}.customer_profiles_current
  UNION ALL
  SELECT email_sha256 FROM ${database}.rejected_profiles WHERE run_id = ${run_id} AND email_sha256 IS NOT NULL
)
SELECT
  count(CASE WHEN NOT regexp_like(email_sha256, '^[0-9a-f]{64}$') THEN 1 END) = 0 AS passed,
  count(*) AS hashes,
  count(CASE WHEN NOT regexp_like(email_sha256, '^[0-9a-f]{64}$') THEN 1 END) AS not_a_hash
FROM hashes
