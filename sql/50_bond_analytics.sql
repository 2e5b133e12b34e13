-- 50_bond_analytics.sql: fixed-rate bullet bond analytics (C, src/bond_math.c).
-- Conventions are QuantLib's FixedRateBond: backward schedule from maturity, days clamped
-- to the month's end, unadjusted; prices per 100 face; decimal rates; the yield is
-- compounded `frequency` times a year with time in the day count.  Day counts: '30/360'
-- (US bond basis), 'ACT/ACT' (ICMA), 'ACT/360', 'ACT/365F'.  See docs/bond-analytics.md.

CREATE FUNCTION pms.bond_price(settle date, maturity date, coupon float8, yield float8,
                               frequency integer DEFAULT 2, day_count text DEFAULT '30/360')
RETURNS float8
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_bond_price';
COMMENT ON FUNCTION pms.bond_price(date, date, float8, float8, integer, text) IS
    'Clean price per 100 face of a fixed-rate bullet bond at a yield compounded frequency times a year.';

CREATE FUNCTION pms.bond_dirty_price(settle date, maturity date, coupon float8, yield float8,
                                     frequency integer DEFAULT 2, day_count text DEFAULT '30/360')
RETURNS float8
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_bond_dirty_price';
COMMENT ON FUNCTION pms.bond_dirty_price(date, date, float8, float8, integer, text) IS
    'Dirty price (clean price plus accrued interest) per 100 face at a yield.';

CREATE FUNCTION pms.bond_accrued(settle date, maturity date, coupon float8,
                                 frequency integer DEFAULT 2, day_count text DEFAULT '30/360')
RETURNS float8
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_bond_accrued';
COMMENT ON FUNCTION pms.bond_accrued(date, date, float8, integer, text) IS
    'Accrued interest per 100 face at the settle date (zero on a coupon date).';

CREATE FUNCTION pms.bond_yield(settle date, maturity date, coupon float8, clean_price float8,
                               frequency integer DEFAULT 2, day_count text DEFAULT '30/360')
RETURNS float8
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_bond_yield';
COMMENT ON FUNCTION pms.bond_yield(date, date, float8, float8, integer, text) IS
    'Yield (compounded frequency times a year) that reproduces a clean price per 100 face; bracketed Newton solver.';

CREATE FUNCTION pms.bond_duration(settle date, maturity date, coupon float8, yield float8,
                                  frequency integer DEFAULT 2, day_count text DEFAULT '30/360',
                                  kind text DEFAULT 'modified')
RETURNS float8
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_bond_duration';
COMMENT ON FUNCTION pms.bond_duration(date, date, float8, float8, integer, text, text) IS
    'Duration in years at a yield: kind ''modified'' (default) or ''macaulay''.';

CREATE FUNCTION pms.bond_convexity(settle date, maturity date, coupon float8, yield float8,
                                   frequency integer DEFAULT 2, day_count text DEFAULT '30/360')
RETURNS float8
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_bond_convexity';
COMMENT ON FUNCTION pms.bond_convexity(date, date, float8, float8, integer, text) IS
    'Convexity in years squared at a yield (second derivative of the dirty price over the price).';

CREATE FUNCTION pms.bond_dv01(settle date, maturity date, coupon float8, yield float8,
                              frequency integer DEFAULT 2, day_count text DEFAULT '30/360')
RETURNS float8
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_bond_dv01';
COMMENT ON FUNCTION pms.bond_dv01(date, date, float8, float8, integer, text) IS
    'Dirty-price change per 100 face for a 1 bp move in yield, as a positive number (QuantLib basis point value).';

CREATE FUNCTION pms.maturity_bucket(settle date, maturity date) RETURNS text
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_maturity_bucket';
COMMENT ON FUNCTION pms.maturity_bucket(date, date) IS
    'Maturity bucket 0-2y, 2-5y, 5-10y, 10-20y or 20y+ (years = days / 365.25, lower bound inclusive).';

-- All measures of one valuation, from one pass over the cash flows (bond_measures*).
CREATE TYPE pms.bond_measures AS (
    yield float8,
    clean_price float8,
    dirty_price float8,
    accrued float8,
    modified_duration float8,
    macaulay_duration float8,
    convexity float8,
    dv01 float8
);
COMMENT ON TYPE pms.bond_measures IS
    'Prices and risk measures of one bond valuation per 100 face, as returned by pms.bond_measures, pms.bond_measures_from_price and pms.bond_measures_from_curve.';
COMMENT ON COLUMN pms.bond_measures.yield IS
    'Yield compounded frequency times a year with time in the bond''s day count (given, or solved from the price).';
COMMENT ON COLUMN pms.bond_measures.clean_price IS 'Clean price per 100 face.';
COMMENT ON COLUMN pms.bond_measures.dirty_price IS 'Dirty price per 100 face: clean price plus accrued interest.';
COMMENT ON COLUMN pms.bond_measures.accrued IS 'Accrued interest per 100 face at the settle date.';
COMMENT ON COLUMN pms.bond_measures.modified_duration IS 'Modified duration in years at the yield.';
COMMENT ON COLUMN pms.bond_measures.macaulay_duration IS 'Macaulay duration in years at the yield.';
COMMENT ON COLUMN pms.bond_measures.convexity IS 'Convexity in years squared at the yield.';
COMMENT ON COLUMN pms.bond_measures.dv01 IS
    'Dirty-price change per 100 face for a 1 bp move in yield, as a positive number.';

CREATE FUNCTION pms.bond_measures(settle date, maturity date, coupon float8, yield float8,
                                  frequency integer DEFAULT 2, day_count text DEFAULT '30/360')
RETURNS pms.bond_measures
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_bond_measures';
COMMENT ON FUNCTION pms.bond_measures(date, date, float8, float8, integer, text) IS
    'Every measure at a yield from one pass over the cash flows; the same numbers as bond_price, bond_dirty_price, bond_accrued, bond_duration, bond_convexity and bond_dv01.';

CREATE FUNCTION pms.bond_measures_from_price(settle date, maturity date, coupon float8, clean_price float8,
                                             frequency integer DEFAULT 2, day_count text DEFAULT '30/360')
RETURNS pms.bond_measures
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_bond_measures_from_price';
COMMENT ON FUNCTION pms.bond_measures_from_price(date, date, float8, float8, integer, text) IS
    'Solves the yield of a clean price (as bond_yield) and returns every measure at it, building the schedule once; clean_price is the price given and dirty_price is clean_price + accrued.';
