-- No current profile lacks its key, its email hash, its update time or its lineage.
SELECT
  count(CASE WHEN customer_id IS NULL OR email_sha256 IS NULL OR updated_at IS NULL THEN 1 END)
    + count(CASE WHEN source_file IS NULL OR run_id IS NULL THEN 1 END) = 0 AS passed,
  count(CASE WHEN customer_id IS NULL THEN 1 END) AS null_customer_ids,
  count(CASE WHEN email_sha256 IS NULL THEN 1 END) AS null_email_hashes,
  count(CASE WHEN updated_at IS NULL THEN 1 END) AS null_updated_at,
  count(CASE WHEN source_file IS NULL OR run_id IS NULL THEN 1 END) AS null_lineage
FROM ${database}.customer_profiles_current
