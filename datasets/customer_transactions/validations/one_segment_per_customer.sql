-- Every customer with an enriched transaction is in customer_segments exactly once, in a known segment.
WITH segments AS (
  SELECT
    count(*) AS segment_rows,
    count(DISTINCT customer_id) AS segmented_customers,
    count(CASE WHEN segment NOT IN ('champion', 'loyal_customer', 'big_spender', 'frequent_buyer',
      'regular_customer') THEN 1 END) AS unknown_segments
  FROM ${database}.customer_segments
),
customers AS (
  SELECT count(DISTINCT customer_id) AS customers
  FROM ${database}.transactions_enriched
)
SELECT
  s.segment_rows = s.segmented_customers AND s.segmented_customers = c.customers AND s.unknown_segments = 0
    AS passed,
  c.customers,
  s.segment_rows,
  s.segment_rows - s.segmented_customers AS customers_in_several_segments_extra_rows,
  c.customers - s.segmented_customers AS customers_missing,
  s.unknown_segments
FROM segments AS s
CROSS JOIN customers AS c
