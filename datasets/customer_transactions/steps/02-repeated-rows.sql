-- Every parsed row whose transaction id more than one valid row of this run carries, ranked: the only rows that
-- need a rank other than 1 (a few, against millions that stream through 04-checked.sql with rank 1). Stored once
-- here, because 04-checked.sql is computed by each of its two readers and ranking there would read all of
-- `parsed` once more per reader.
-- Valid rows rank among the valid rows of their id (by source_file, date, amount, then customer, store, channel
-- and category as text); an invalid row's rank is never looked at.
SELECT
  p.*,
  row_number() OVER (
    PARTITION BY p.transaction_id, p.invalid_reason IS NULL
    ORDER BY p.source_file, p.transaction_date, p.transaction_amount,
      concat_ws('|', p.customer_id, p.store_id, p.channel, p.product_category)
  ) AS id_rank
FROM parsed AS p
WHERE p.transaction_id IN (
  SELECT v.transaction_id
  FROM parsed AS v
  WHERE v.invalid_reason IS NULL
  GROUP BY v.transaction_id
  HAVING count(*) > 1
)
