-- 80_market_data.sql: evaluated prices, FX rates, zero curves and curve spreads.
-- Reference data, firm-wide and append-only: a correction is a new row, and the latest
-- recorded row wins for reads known at or after it, so every valuation can be replayed as
-- known at a past time.  Loaded with INSERT or COPY; recorded_at is stamped with the
-- transaction time like the event tables.  Reads as of D take the latest row dated on or
-- before D and no older than pms.max_price_age days.

CREATE TABLE pms.prices (
    instrument_id   uuid NOT NULL REFERENCES pms.instruments (instrument_id),
    price_date      date NOT NULL CONSTRAINT prices_date_finite CHECK (isfinite(price_date)),
    price           numeric NOT NULL CONSTRAINT prices_price_positive CHECK (price > 0),
    source          text NOT NULL DEFAULT 'evaluated'
                    CONSTRAINT prices_source_named CHECK (source = btrim(source) AND source <> ''),
    recorded_at     timestamptz NOT NULL DEFAULT pg_catalog.transaction_timestamp(),
    PRIMARY KEY (instrument_id, price_date, recorded_at)
);
COMMENT ON TABLE pms.prices IS
    'Evaluated prices (append-only reference data): the latest price on or before a valuation date, no older than pms.max_price_age days, values a position.';
COMMENT ON COLUMN pms.prices.instrument_id IS 'Instrument priced.';
COMMENT ON COLUMN pms.prices.price_date IS 'Business date the price is for.';
COMMENT ON COLUMN pms.prices.price IS 'Price in the instrument''s quote convention: clean price per 100 face for bonds, per unit otherwise.';
COMMENT ON COLUMN pms.prices.source IS 'Pricing source, e.g. the evaluated-pricing vendor.';
COMMENT ON COLUMN pms.prices.recorded_at IS 'Knowledge time (transaction time of the load); a later row for the same date corrects an earlier one.';

CREATE TABLE pms.fx_rates (
    currency        text NOT NULL REFERENCES pms.currencies (currency_code),
    rate_date       date NOT NULL CONSTRAINT fx_rates_date_finite CHECK (isfinite(rate_date)),
    rate            numeric NOT NULL CONSTRAINT fx_rates_rate_positive CHECK (rate > 0),
    source          text NOT NULL DEFAULT 'evaluated'
                    CONSTRAINT fx_rates_source_named CHECK (source = btrim(source) AND source <> ''),
    recorded_at     timestamptz NOT NULL DEFAULT pg_catalog.transaction_timestamp(),
    PRIMARY KEY (currency, rate_date, recorded_at)
);
COMMENT ON TABLE pms.fx_rates IS
    'FX rates (append-only reference data): the value of one unit of a currency in the pivot currency (pms.fx_pivot); any pair converts through the pivot.';
COMMENT ON COLUMN pms.fx_rates.currency IS 'ISO 4217 currency quoted (rows for the pivot currency itself are ignored: its rate is 1).';
COMMENT ON COLUMN pms.fx_rates.rate_date IS 'Business date of the rate.';
COMMENT ON COLUMN pms.fx_rates.rate IS 'Units of the pivot currency per unit of this currency.';
COMMENT ON COLUMN pms.fx_rates.source IS 'Rate source.';
COMMENT ON COLUMN pms.fx_rates.recorded_at IS 'Knowledge time (transaction time of the load); a later row for the same date corrects an earlier one.';

CREATE TABLE pms.yield_curves (
    curve_id        text NOT NULL CONSTRAINT yield_curves_id_named CHECK (curve_id = btrim(curve_id) AND curve_id <> ''),
    curve_date      date NOT NULL CONSTRAINT yield_curves_date_finite CHECK (isfinite(curve_date)),
    tenor_years     float8 NOT NULL CONSTRAINT yield_curves_tenor_positive CHECK (tenor_years > 0 AND tenor_years <= 100),
    zero_rate       float8 NOT NULL CONSTRAINT yield_curves_rate_sane CHECK (zero_rate > -1 AND zero_rate < 1),
    recorded_at     timestamptz NOT NULL DEFAULT pg_catalog.transaction_timestamp(),
    PRIMARY KEY (curve_id, curve_date, recorded_at, tenor_years)
);
COMMENT ON TABLE pms.yield_curves IS
    'Zero curves (append-only reference data): one row per point. A curve version is all points of (curve_id, curve_date) recorded in one transaction; reloading a date replaces the whole curve for later knowledge times.';
COMMENT ON COLUMN pms.yield_curves.curve_id IS 'Curve name, e.g. USD-TSY.';
COMMENT ON COLUMN pms.yield_curves.curve_date IS 'Business date of the curve.';
COMMENT ON COLUMN pms.yield_curves.tenor_years IS 'Point in years from the curve date (ACT/365F), > 0.';
COMMENT ON COLUMN pms.yield_curves.zero_rate IS 'Continuously compounded zero rate at the tenor, decimal (0.04 = 4%).';
COMMENT ON COLUMN pms.yield_curves.recorded_at IS 'Knowledge time: the transaction that loaded this version of the curve.';

CREATE TABLE pms.instrument_spreads (
    instrument_id   uuid NOT NULL REFERENCES pms.instruments (instrument_id),
    effective_date  date NOT NULL CONSTRAINT instrument_spreads_date_finite CHECK (isfinite(effective_date)),
    curve_id        text NOT NULL CONSTRAINT instrument_spreads_curve_named CHECK (curve_id = btrim(curve_id) AND curve_id <> ''),
    spread          float8 NOT NULL CONSTRAINT instrument_spreads_spread_sane CHECK (spread > -1 AND spread < 1),
    recorded_at     timestamptz NOT NULL DEFAULT pg_catalog.transaction_timestamp(),
    PRIMARY KEY (instrument_id, effective_date, recorded_at)
);
COMMENT ON TABLE pms.instrument_spreads IS
    'Curve pricing terms per bond (append-only reference data): the curve and the spread over it that price the bond when it has no evaluated price.';
COMMENT ON COLUMN pms.instrument_spreads.instrument_id IS 'Bond priced off the curve.';
COMMENT ON COLUMN pms.instrument_spreads.effective_date IS 'First business date the terms apply to; they hold until a later effective date.';
COMMENT ON COLUMN pms.instrument_spreads.curve_id IS 'Curve in pms.yield_curves.';
COMMENT ON COLUMN pms.instrument_spreads.spread IS 'Continuously compounded spread added to the zero rate, decimal (0.005 = 50 bp).';
COMMENT ON COLUMN pms.instrument_spreads.recorded_at IS 'Knowledge time (transaction time of the load).';

-- Knowledge time, append-only guards and dumps, the same for all four tables.
DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['prices', 'fx_rates', 'yield_curves', 'instrument_spreads'] LOOP
        EXECUTE format('CREATE TRIGGER %I BEFORE INSERT ON pms.%I FOR EACH ROW EXECUTE FUNCTION pms.stamp_recorded_at()',
                       t || '_stamp', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON pms.%I FOR EACH ROW EXECUTE FUNCTION pms.refuse_mutation(%L)',
                       t || '_append_only', t, 'Market data is append-only: load a corrected row; the latest recorded row wins.');
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON pms.%I FOR EACH STATEMENT EXECUTE FUNCTION pms.refuse_mutation(%L)',
                       t || '_no_truncate', t, 'Market data is append-only: load a corrected row; the latest recorded row wins.');
        EXECUTE format('SELECT pg_catalog.pg_extension_config_dump(%L, %L)', 'pms.' || t, '');
    END LOOP;
END
$$;

-- Market-data settings, read through the library so that its checks apply.
CREATE FUNCTION pms.max_price_age() RETURNS integer
    LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_max_price_age_days';
COMMENT ON FUNCTION pms.max_price_age() IS
    'The pms.max_price_age setting (days, default 5): how old a price, FX rate or curve a valuation may use.';
CREATE FUNCTION pms.fx_pivot() RETURNS text
    LANGUAGE c STABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_fx_pivot_currency';
COMMENT ON FUNCTION pms.fx_pivot() IS
    'The pms.fx_pivot setting (default USD): the currency pms.fx_rates quotes every rate against.';

-- FX rates of every currency as of a date, as known at a time, against the pivot.
CREATE FUNCTION pms.fx_rates_on(as_of date DEFAULT NULL, known_at timestamptz DEFAULT NULL)
RETURNS TABLE (currency text, rate numeric, rate_date date)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    (SELECT DISTINCT ON (f.currency) f.currency, f.rate, f.rate_date
     FROM pms.fx_rates f
     WHERE f.rate_date <= pms.resolve_as_of(as_of)
       AND f.rate_date >= pms.resolve_as_of(as_of) - pms.max_price_age()
       AND f.recorded_at <= pms.resolve_known_at(known_at)
       AND f.currency <> pms.fx_pivot()
     ORDER BY f.currency, f.rate_date DESC, f.recorded_at DESC)
    UNION ALL
    SELECT pms.fx_pivot(), 1::numeric, pms.resolve_as_of(as_of)
$$;
COMMENT ON FUNCTION pms.fx_rates_on(date, timestamptz) IS
    'Per currency, the rate against pms.fx_pivot used as of a date (latest within pms.max_price_age days), as known at a time; the pivot has rate 1. Currencies without a fresh rate are absent.';

-- Points of every curve as of a date, as known at a time: the latest fresh version of each.
CREATE FUNCTION pms.curves_on(as_of date DEFAULT NULL, known_at timestamptz DEFAULT NULL)
RETURNS TABLE (curve_id text, curve_date date, tenors float8[], zero_rates float8[])
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    WITH version AS (
        SELECT DISTINCT ON (y.curve_id) y.curve_id, y.curve_date, y.recorded_at
        FROM pms.yield_curves y
        WHERE y.curve_date <= pms.resolve_as_of(as_of)
          AND y.curve_date >= pms.resolve_as_of(as_of) - pms.max_price_age()
          AND y.recorded_at <= pms.resolve_known_at(known_at)
        ORDER BY y.curve_id, y.curve_date DESC, y.recorded_at DESC
    )
    SELECT v.curve_id, v.curve_date, array_agg(y.tenor_years ORDER BY y.tenor_years),
           array_agg(y.zero_rate ORDER BY y.tenor_years)
    FROM version v
    JOIN pms.yield_curves y USING (curve_id, curve_date, recorded_at)
    GROUP BY v.curve_id, v.curve_date
$$;
COMMENT ON FUNCTION pms.curves_on(date, timestamptz) IS
    'Per curve, the points of its latest version dated within pms.max_price_age days of the as-of date, as known at a time.';
