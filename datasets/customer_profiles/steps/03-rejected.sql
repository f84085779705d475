-- Rows that are not valid profiles, never silently dropped: the reason, the raw dates as read, lineage. The email
-- is hashed as for a valid row, so a rejected row can be matched to its customer without the address.
SELECT
  customer_id,
  email_sha256,
  country,
  loyalty_tier,
  signup_date_raw,
  updated_at_raw,
  invalid_reason AS reject_reason,
  source_file,
  run_id
FROM parsed
WHERE invalid_reason IS NOT NULL
