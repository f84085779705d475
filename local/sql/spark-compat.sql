-- Spark SQL (3.5, non-ANSI, as Glue 5 runs it) on DuckDB: macros for the Spark functions the job steps use
-- that DuckDB lacks or defines differently. Each one is pinned to Spark's documented meaning by
-- test/local/sql/spark-compat.test.ts. Macros that shadow a DuckDB built-in declare all of its forms.

-- Spark dayofweek: 1 = Sunday ... 7 = Saturday (DuckDB's built-in is 0 = Sunday). The built-in has only
-- one-argument forms (DATE, TIMESTAMP, TIMESTAMPTZ, INTERVAL); isodow is 1 = Monday ... 7 = Sunday.
CREATE OR REPLACE MACRO dayofweek(d) AS (isodow(d) % 7) + 1;

-- Spark datediff(endDate, startDate): whole days from start to end. DuckDB's built-in is the 3-argument
-- datediff(part, start, end), kept as the second form.
CREATE OR REPLACE MACRO datediff(end_date, start_date) AS
    CAST(CAST(end_date AS DATE) - CAST(start_date AS DATE) AS INTEGER),
  (part, start_date, end_date) AS date_diff(part, start_date, end_date);

-- Spark to_date(str): the string-to-date cast (non-ANSI: NULL when unparseable). After trimming it accepts
-- yyyy, yyyy-[m]m, yyyy-[m]m-[d]d, optionally followed by ' ' or 'T' and anything (a time part).
-- The pattern form to_date(str, fmt) is not provided: DuckDB needs a constant strptime format, and the steps
-- avoid it anyway (in Spark 3 a pattern that the legacy parser would accept raises SparkUpgradeException).
-- The canonical yyyy-mm-dd takes a fast path (one full-match guard + a cast), the common case on big files.
-- The guard is needed because DuckDB's cast alone is too lenient ('2024-01-5x' casts to 2024-01-05).
CREATE OR REPLACE MACRO to_date(s) AS
    CASE
      WHEN regexp_full_match(trim(CAST(s AS VARCHAR)), '[0-9]{4}-[0-9]{2}-[0-9]{2}')
      THEN TRY_CAST(trim(CAST(s AS VARCHAR)) AS DATE)
      WHEN regexp_matches(trim(CAST(s AS VARCHAR)), '^[0-9]{4}(-[0-9]{1,2}(-[0-9]{1,2}([ T].*)?)?)?$')
      THEN TRY_CAST(
        regexp_extract(trim(CAST(s AS VARCHAR)), '^([0-9]{4})', 1) || '-' ||
        coalesce(nullif(regexp_extract(trim(CAST(s AS VARCHAR)), '^[0-9]{4}-([0-9]{1,2})', 1), ''), '1') || '-' ||
        coalesce(nullif(regexp_extract(trim(CAST(s AS VARCHAR)), '^[0-9]{4}-[0-9]{1,2}-([0-9]{1,2})', 1), ''), '1')
        AS DATE)
    END;

-- Spark percentile_approx(col, p[, accuracy]) with a scalar p: an actual value of col, the one at 1-based
-- rank ceil(p * n) of the sorted non-null values (exact while n stays under the accuracy, default 10000;
-- above that Spark is within n / accuracy ranks). DuckDB's quantile_disc picks the same rank.
-- The array-of-percentages form is not supported (the steps do not use it).
CREATE OR REPLACE MACRO percentile_approx(x, p) AS quantile_disc(x, p),
  (x, p, accuracy) AS quantile_disc(x, p);

-- Spark trim(str): spaces (only ' ', 0x20, as UTF8String.trim) off both ends. DuckDB's built-in also strips
-- other Unicode spaces (a no-break space, U+2003, U+3000), so a value Spark keeps as ' a' would change here.
-- Trimming only the strings that start or end with ' ' is also faster than the built-in. trim(str, chars)
-- (DuckDB's form of Spark's TRIM(BOTH chars FROM str)) removes any of chars from both ends, as both define it.
CREATE OR REPLACE MACRO trim(s) AS
    CASE
      WHEN starts_with(CAST(s AS VARCHAR), ' ') OR ends_with(CAST(s AS VARCHAR), ' ')
      THEN ltrim(rtrim(CAST(s AS VARCHAR), ' '), ' ')
      ELSE CAST(s AS VARCHAR)
    END,
  (s, chars) AS ltrim(rtrim(s, chars), chars);

-- Spark sorts NULLs first in ascending order and last in descending order (DuckDB: last in both), in ORDER BY
-- and in window orderings alike.
SET default_null_order = 'nulls_first_on_asc_last_on_desc';
