-- customer_profiles_current holds exactly one profile per customer.
SELECT
  count(*) = count(DISTINCT customer_id) AS passed,
  count(*) AS profiles,
  count(DISTINCT customer_id) AS customers,
  count(*) - count(DISTINCT customer_id) AS extra_rows
FROM ${database}.customer_profiles_current
