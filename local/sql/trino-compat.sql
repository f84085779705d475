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
