-- Transaction ids that more than one valid row of this run carries: the only rows that need ranking (a few,
-- against millions that stream through 04-checked.sql with rank 1).
SELECT transaction_id
FROM parsed
WHERE invalid_reason IS NULL
GROUP BY transaction_id
HAVING count(*) > 1
