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
