-- Trino (Athena engine 3) on DuckDB: macros for the Trino functions the validation queries (and the ad-hoc
-- queries an operator is likely to try) use that DuckDB lacks or defines differently. Pinned by
-- test/local/sql/trino-compat.test.ts. Note what a macro cannot fix: Trino's `/` on integers is integer
-- division (DuckDB's is not), so the validations cast to DOUBLE before dividing.
-- DuckDB's date_diff(unit, start, end) already matches Trino's for 'day' on dates, so it is not shadowed.

-- Trino approx_percentile(x, p): an approximation that returns a value of x near rank p * n;
-- locally the exact value at rank ceil(p * n). The weighted and array forms are not supported.
CREATE OR REPLACE MACRO approx_percentile(x, p) AS quantile_disc(x, p);

-- Trino day_of_week: ISO, 1 = Monday ... 7 = Sunday (DuckDB has no function of this name).
CREATE OR REPLACE MACRO day_of_week(d) AS isodow(d);

-- The macros below are what local/sql/trino/translate.ts rewrites Trino calls and operators to (trino_ prefix:
-- DuckDB has functions of the same names with other meanings). Pinned by test/local/sql/trino-translate.test.ts.

-- `/` and `%`: Trino fails on a zero divisor where DuckDB returns NULL; integer `/` is integer division when the
-- session sets integer_division (prepareTrinoSession).
CREATE OR REPLACE MACRO trino_divide(a, b) AS CASE WHEN b = 0 THEN error('Division by zero') ELSE a / b END;
CREATE OR REPLACE MACRO trino_mod(a, b) AS CASE WHEN b = 0 THEN error('Division by zero') ELSE a % b END;

-- split_part: NULL (not '') past the last field.
CREATE OR REPLACE MACRO trino_split_part(s, d, i) AS
  CASE WHEN i <= len(string_split(s, d)) THEN split_part(s, d, i) END;

-- regexp_extract: NULL (not '') when the pattern does not match.
CREATE OR REPLACE MACRO trino_regexp_extract(s, p) AS
  CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p) END,
  (s, p, g) AS CASE WHEN regexp_matches(s, p) THEN regexp_extract(s, p, g) END;
CREATE OR REPLACE MACRO trino_regexp_extract_all(s, p) AS regexp_extract_all(s, p),
  (s, p, g) AS regexp_extract_all(s, p, g);

-- json_extract_scalar: NULL when the value at the path is an object or an array.
CREATE OR REPLACE MACRO trino_json_extract_scalar(j, p) AS
  CASE WHEN json_type(j, p) IN ('OBJECT', 'ARRAY') THEN NULL ELSE json_extract_string(j, p) END;

-- url_extract_*: the parts of an absolute URL (RFC 3986), NULL where the part is absent.
CREATE OR REPLACE MACRO trino_url_part(u, g) AS
  nullif(regexp_extract(u, '^(?:([a-zA-Z][a-zA-Z0-9+.-]*):)?(?://(?:[^/?#@]*@)?([^/?#:]*)(?::(\d*))?)?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$', g), '');
CREATE OR REPLACE MACRO trino_url_extract_protocol(u) AS trino_url_part(u, 1);
CREATE OR REPLACE MACRO trino_url_extract_host(u) AS trino_url_part(u, 2);
CREATE OR REPLACE MACRO trino_url_extract_port(u) AS CAST(trino_url_part(u, 3) AS BIGINT);
CREATE OR REPLACE MACRO trino_url_extract_path(u) AS coalesce(trino_url_part(u, 4), '');
CREATE OR REPLACE MACRO trino_url_extract_query(u) AS trino_url_part(u, 5);
CREATE OR REPLACE MACRO trino_url_extract_fragment(u) AS trino_url_part(u, 6);
CREATE OR REPLACE MACRO trino_url_extract_parameter(u, name) AS
  url_decode(regexp_extract('&' || trino_url_part(u, 5), '&' || regexp_escape(name) || '=([^&]*)', 1));

-- array_position: 0 (not NULL) when absent.
CREATE OR REPLACE MACRO trino_array_position(a, x) AS coalesce(list_position(a, x), 0);

-- array_distinct: keeps the first occurrence of each element, in order.
CREATE OR REPLACE MACRO trino_array_distinct(a) AS list_filter(a, (x, i) -> list_position(a, x) = i);

-- from_iso8601_timestamp: Trino keeps the string's UTC offset as the value's zone; the twin prints every
-- TIMESTAMP WITH TIME ZONE in UTC, so an offset other than UTC is refused rather than shown shifted.
CREATE OR REPLACE MACRO trino_from_iso8601_timestamp(s) AS
  CASE WHEN regexp_matches(s, 'T.*[+-]\d\d(:?\d\d)?$') AND NOT regexp_matches(s, '[+-]00(:?00)?$')
    THEN error('from_iso8601_timestamp with a UTC offset other than +00:00 is not supported locally')
    ELSE CAST(s AS TIMESTAMPTZ) END;

-- luhn_check: whether a string of digits passes the Luhn checksum (NULL for a non-digit string, as Trino fails).
CREATE OR REPLACE MACRO trino_luhn_check(s) AS
  CASE WHEN regexp_full_match(s, '[0-9]+') THEN
    list_sum(list_transform(string_split(reverse(s), ''), (d, i) ->
      CASE WHEN i % 2 = 0 THEN (CAST(d AS INTEGER) * 2) % 10 + (CAST(d AS INTEGER) * 2) // 10 ELSE CAST(d AS INTEGER) END
    )) % 10 = 0
  ELSE error('luhn_check of a string that is not all digits is not supported locally') END;

-- regexp_position: the 1-based character position of the first match, -1 when none (the shortest prefix before it).
CREATE OR REPLACE MACRO trino_regexp_position(s, p) AS
  CASE WHEN regexp_matches(s, p) THEN length(regexp_extract(s, '^((?s:.)*?)(?:' || p || ')', 1)) + 1 ELSE -1 END;

-- from_iso8601_date: the calendar, ISO week (2020-W10, 2020-W10-1) and ordinal (2020-123) forms of ISO 8601.
CREATE OR REPLACE MACRO trino_from_iso8601_date(s) AS
  CASE
    WHEN regexp_full_match(s, '\d{4}-W\d{2}(-[1-7])?') THEN
      make_date(CAST(s[1:4] AS INTEGER), 1, 4) + CAST(
        7 * (CAST(s[7:8] AS INTEGER) - 1) + coalesce(CAST(nullif(s[10:10], '') AS INTEGER), 1)
        - isodow(make_date(CAST(s[1:4] AS INTEGER), 1, 4)) AS INTEGER)
    WHEN regexp_full_match(s, '\d{4}-\d{3}') THEN
      make_date(CAST(s[1:4] AS INTEGER), 1, 1) + CAST(CAST(s[6:8] AS INTEGER) - 1 AS INTEGER)
    ELSE CAST(s AS DATE)
  END;

-- CAST(json AS VARCHAR): a JSON scalar's value as text (a string without its quotes); Trino fails on an array or
-- an object, and so does the twin.
CREATE OR REPLACE MACRO trino_json_to_varchar(j) AS
  CASE WHEN json_type(j) IN ('OBJECT', 'ARRAY') THEN error('CAST of a JSON array or object to VARCHAR is not supported')
    WHEN json_type(j) = 'NULL' THEN NULL
    ELSE json_extract_string(j, '$') END;

-- cosine_similarity of two maps: sparse vectors, a key missing from one map is 0 there.
CREATE OR REPLACE MACRO trino_map_cosine_similarity(a, b) AS
  CAST(list_sum(list_transform(map_keys(a), k -> a[k] * coalesce(b[k], 0))) AS DOUBLE)
    / (sqrt(CAST(list_sum(list_transform(map_values(a), v -> v * v)) AS DOUBLE))
      * sqrt(CAST(list_sum(list_transform(map_values(b), v -> v * v)) AS DOUBLE)));

-- title_case: each character after whitespace (or first) upper case, every other lower case.
CREATE OR REPLACE MACRO trino_title_case(s) AS
  array_to_string(list_transform(string_split(s, ''), (ch, i) ->
    CASE WHEN i = 1 OR regexp_matches(s[i - 1], '^\s$') THEN upper(ch) ELSE lower(ch) END), '');

-- human_readable_seconds: weeks, days, hours, minutes and seconds that are not zero, singular for 1; a fraction
-- of a second is refused (how Trino rounds it is not reproduced).
CREATE OR REPLACE MACRO trino_human_readable_part(n, unit) AS
  CASE WHEN n = 0 THEN NULL WHEN n = 1 THEN '1 ' || unit ELSE CAST(n AS VARCHAR) || ' ' || unit || 's' END;
CREATE OR REPLACE MACRO trino_human_readable_seconds(x) AS
  CASE
    WHEN x IS NULL THEN NULL
    WHEN x <> floor(x) THEN error('human_readable_seconds of a fraction of a second is not supported locally')
    WHEN x = 0 THEN '0 seconds'
    ELSE array_to_string(list_filter([
      trino_human_readable_part(CAST(x AS BIGINT) // 604800, 'week'),
      trino_human_readable_part(CAST(x AS BIGINT) % 604800 // 86400, 'day'),
      trino_human_readable_part(CAST(x AS BIGINT) % 86400 // 3600, 'hour'),
      trino_human_readable_part(CAST(x AS BIGINT) % 3600 // 60, 'minute'),
      trino_human_readable_part(CAST(x AS BIGINT) % 60, 'second')], p -> p IS NOT NULL), ', ')
  END;
