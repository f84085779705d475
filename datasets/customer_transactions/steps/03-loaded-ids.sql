-- Ids of this run's valid rows that an earlier run already loaded. Computed before this run appends to
-- transactions_enriched (the runner keeps this snapshot), and small: only the ids that meet again.
SELECT DISTINCT e.transaction_id
FROM transactions_enriched AS e
WHERE e.transaction_id IN (SELECT p.transaction_id FROM parsed AS p WHERE p.invalid_reason IS NULL)
