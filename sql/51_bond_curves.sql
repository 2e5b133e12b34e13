-- 51_bond_curves.sql: bonds priced off a zero curve (C, src/bond_curve.c).
-- A curve is two float8 arrays: tenors in years (ACT/365F from the settle date), strictly
-- increasing and >= 0, and continuously compounded zero rates.  The rate is linear in time
-- between tenors and flat outside them; a payment T years away is discounted by
-- exp(-(z(T) + spread) * T).  See docs/bond-analytics.md, "Pricing off a zero curve".

CREATE FUNCTION pms.zero_rate(tenors float8[], zero_rates float8[], t float8) RETURNS float8
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_zero_rate';
COMMENT ON FUNCTION pms.zero_rate(float8[], float8[], float8) IS
    'Continuously compounded zero rate at t years: linear between tenors, flat before the first and after the last.';

CREATE FUNCTION pms.bond_measures_from_curve(settle date, maturity date, coupon float8,
                                             tenors float8[], zero_rates float8[], spread float8,
                                             frequency integer DEFAULT 2, day_count text DEFAULT '30/360')
RETURNS pms.bond_measures
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_bond_measures_from_curve';
COMMENT ON FUNCTION pms.bond_measures_from_curve(date, date, float8, float8[], float8[], float8, integer, text) IS
    'Prices each cash flow off a zero curve plus a spread (dirty = sum of flows x exp(-(z(T) + spread) T), T in ACT/365F years), then returns the yield of that clean price and every measure at it.';
