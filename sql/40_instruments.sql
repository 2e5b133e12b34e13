-- 40_instruments.sql: pms.instruments, the security master (firm-wide reference data).
-- Loadable with plain INSERT or COPY: a row trigger validates and normalizes each row
-- (identifiers, bond terms, defaults) and statement triggers append one
-- InstrumentCreated / InstrumentUpdated event per row, set-based through transition
-- tables.  Instruments are never deleted: positions and prices refer to them forever.

CREATE FUNCTION pms.cusip_check_digit(cusip text) RETURNS integer
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_cusip_check_digit';
COMMENT ON FUNCTION pms.cusip_check_digit(text) IS
    'Check digit (0-9) of the first eight characters of a CUSIP; raises 22023 on a character that cannot appear in one.';

CREATE FUNCTION pms.is_valid_cusip(cusip text) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_is_valid_cusip';
COMMENT ON FUNCTION pms.is_valid_cusip(text) IS
    'True when the text is a nine-character CUSIP whose check digit is right.';

CREATE FUNCTION pms.is_valid_isin(isin text) RETURNS boolean
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_is_valid_isin';
COMMENT ON FUNCTION pms.is_valid_isin(text) IS
    'True when the text is a twelve-character ISIN (country letters, nine alphanumerics, Luhn check digit).';

CREATE TABLE pms.instruments (
    instrument_id       uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    cusip               text UNIQUE,
    isin                text UNIQUE,
    ticker              text,
    description         text NOT NULL,
    asset_class         text NOT NULL CHECK (asset_class IN ('BOND', 'EQUITY', 'FUND', 'CASH')),
    currency            text NOT NULL REFERENCES pms.currencies (currency_code),
    coupon_rate         numeric,
    maturity_date       date,
    issue_date          date,
    coupon_frequency    smallint,
    day_count           text,
    sector              text,
    country             text REFERENCES pms.countries (country_code),
    rating              text,
    min_trade_size      numeric CHECK (min_trade_size >= 0),
    lot_size            numeric CHECK (lot_size > 0),
    price_multiplier    numeric NOT NULL CHECK (price_multiplier > 0),
    created_at          timestamptz NOT NULL DEFAULT pg_catalog.transaction_timestamp(),
    updated_at          timestamptz NOT NULL DEFAULT pg_catalog.transaction_timestamp(),
    CHECK ((asset_class = 'BOND') = (maturity_date IS NOT NULL)),
    CHECK (asset_class <> 'BOND' OR (coupon_rate >= 0 AND coupon_rate < 1
                                     AND coupon_frequency IN (1, 2, 4, 12)
                                     AND day_count IN ('30/360', 'ACT/ACT', 'ACT/360', 'ACT/365F')))
);
COMMENT ON TABLE pms.instruments IS
    'Security master (reference data): bonds, equities, funds and cash instruments. Load with INSERT or COPY; never deleted.';
COMMENT ON COLUMN pms.instruments.instrument_id IS 'Instrument id (generated when not given).';
COMMENT ON COLUMN pms.instruments.cusip IS 'Nine-character CUSIP with a valid check digit, unique when present.';
COMMENT ON COLUMN pms.instruments.isin IS 'Twelve-character ISIN with a valid check digit, unique when present.';
COMMENT ON COLUMN pms.instruments.ticker IS 'Exchange ticker, for equities and funds.';
COMMENT ON COLUMN pms.instruments.description IS 'Human description, e.g. UST 4.25% 15-Nov-2034.';
COMMENT ON COLUMN pms.instruments.asset_class IS 'BOND, EQUITY, FUND or CASH.';
COMMENT ON COLUMN pms.instruments.currency IS 'ISO 4217 currency of prices and cash flows.';
COMMENT ON COLUMN pms.instruments.coupon_rate IS 'Bonds: annual coupon as a decimal fraction (0.05 = 5%); 0 for zero-coupon bonds.';
COMMENT ON COLUMN pms.instruments.maturity_date IS 'Bonds: redemption date (required for bonds, empty otherwise).';
COMMENT ON COLUMN pms.instruments.issue_date IS 'Bonds: issue date (optional; before maturity).';
COMMENT ON COLUMN pms.instruments.coupon_frequency IS 'Bonds: coupons per year, 1, 2, 4 or 12 (default 2).';
COMMENT ON COLUMN pms.instruments.day_count IS 'Bonds: 30/360, ACT/ACT, ACT/360 or ACT/365F (default 30/360).';
COMMENT ON COLUMN pms.instruments.sector IS 'Sector: Treasury, Agency, Corporate, Municipal, or an equity sector.';
COMMENT ON COLUMN pms.instruments.country IS 'ISO 3166-1 alpha-2 country of risk.';
COMMENT ON COLUMN pms.instruments.rating IS 'Credit rating as published (e.g. AA+), free text.';
COMMENT ON COLUMN pms.instruments.min_trade_size IS 'Smallest tradable quantity (face for bonds, units otherwise).';
COMMENT ON COLUMN pms.instruments.lot_size IS 'Trade quantities are multiples of this (face for bonds, units otherwise).';
COMMENT ON COLUMN pms.instruments.price_multiplier IS 'Value of quantity x price: 0.01 for bonds quoted per 100 face (default), 1 otherwise.';
COMMENT ON COLUMN pms.instruments.created_at IS 'When the instrument was first loaded.';
COMMENT ON COLUMN pms.instruments.updated_at IS 'When the instrument was last corrected.';
CREATE INDEX instruments_ticker_idx ON pms.instruments (ticker);
CREATE INDEX instruments_maturity_idx ON pms.instruments (maturity_date) WHERE asset_class = 'BOND';

SELECT pg_catalog.pg_extension_config_dump('pms.instruments', '');

-- Raises check_violation (23514) about one instrument row.
CREATE FUNCTION pms.instrument_error(instrument text, message text, detail text, hint text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF hint IS NULL THEN
        RAISE EXCEPTION 'instrument %: %', instrument, message
            USING ERRCODE = 'check_violation', DETAIL = detail;
    END IF;
    RAISE EXCEPTION 'instrument %: %', instrument, message
        USING ERRCODE = 'check_violation', DETAIL = detail, HINT = hint;
END
$$;
COMMENT ON FUNCTION pms.instrument_error(text, text, text, text) IS
    'Internal: raises check_violation (23514) naming the instrument row that failed validation.';

-- Row trigger: normalizes an instrument row and rejects anything inconsistent.
CREATE FUNCTION pms.instruments_validate() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    label text;
BEGIN
    NEW.cusip := upper(nullif(btrim(NEW.cusip), ''));
    NEW.isin := upper(nullif(btrim(NEW.isin), ''));
    NEW.ticker := nullif(btrim(NEW.ticker), '');
    NEW.asset_class := upper(btrim(NEW.asset_class));
    NEW.day_count := upper(btrim(NEW.day_count));
    NEW.country := upper(btrim(NEW.country));
    label := coalesce(NEW.cusip, NEW.isin, NEW.ticker, quote_literal(NEW.description), NEW.instrument_id::text);

    IF TG_OP = 'UPDATE' AND NEW.instrument_id IS DISTINCT FROM OLD.instrument_id THEN
        PERFORM pms.instrument_error(label, 'instrument_id cannot change',
            format('The row was loaded as %s.', OLD.instrument_id),
            'Load a new instrument instead.');
    END IF;
    IF NEW.description IS NULL OR btrim(NEW.description) = '' THEN
        PERFORM pms.instrument_error(label, 'description must not be blank',
            'Every instrument needs a description advisors can read.', NULL);
    END IF;
    NEW.description := btrim(NEW.description);
    IF NEW.asset_class IS NULL OR NEW.asset_class NOT IN ('BOND', 'EQUITY', 'FUND', 'CASH') THEN
        PERFORM pms.instrument_error(label, format('"%s" is not an asset class', NEW.asset_class),
            'Asset classes are BOND, EQUITY, FUND and CASH.', NULL);
    END IF;
    IF NEW.currency IS NULL THEN
        PERFORM pms.instrument_error(label, 'currency must not be null',
            'Prices and cash flows need a currency.', 'Use an ISO 4217 code such as USD.');
    END IF;
    NEW.currency := pms.check_currency(NEW.currency, 'instrument currency');
    IF NEW.cusip IS NOT NULL AND NOT pms.is_valid_cusip(NEW.cusip) THEN
        PERFORM pms.instrument_error(label, format('"%s" is not a valid CUSIP', NEW.cusip),
            CASE WHEN length(NEW.cusip) = 9 AND NEW.cusip ~ '^[0-9A-Z*@#]{8}'
                 THEN format('Its check digit should be %s.', pms.cusip_check_digit(NEW.cusip))
                 ELSE 'A CUSIP has eight characters from 0-9, A-Z, *, @, # and a check digit.' END,
            'Check the identifier against the issuer''s documents.');
    END IF;
    IF NEW.cusip IS NOT NULL AND EXISTS (SELECT 1 FROM pms.instruments i
                                         WHERE i.cusip = NEW.cusip AND i.instrument_id <> NEW.instrument_id) THEN
        PERFORM pms.instrument_error(label, format('CUSIP %s is already loaded', NEW.cusip),
            'CUSIPs are unique in the security master.', 'Correct the existing row with UPDATE.');
    END IF;
    IF NEW.isin IS NOT NULL AND EXISTS (SELECT 1 FROM pms.instruments i
                                        WHERE i.isin = NEW.isin AND i.instrument_id <> NEW.instrument_id) THEN
        PERFORM pms.instrument_error(label, format('ISIN %s is already loaded', NEW.isin),
            'ISINs are unique in the security master.', 'Correct the existing row with UPDATE.');
    END IF;
    IF NEW.isin IS NOT NULL AND NOT pms.is_valid_isin(NEW.isin) THEN
        PERFORM pms.instrument_error(label, format('"%s" is not a valid ISIN', NEW.isin),
            'An ISIN has two country letters, nine letters or digits and a Luhn check digit.',
            'Check the identifier against the issuer''s documents.');
    END IF;
    IF NEW.country IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pms.countries c WHERE c.country_code = NEW.country) THEN
        PERFORM pms.instrument_error(label, format('"%s" is not an ISO 3166-1 country code', NEW.country),
            'The country of risk must be one of the codes in pms.countries.', 'Use a two-letter code such as US.');
    END IF;

    IF NEW.asset_class = 'BOND' THEN
        IF NEW.maturity_date IS NULL THEN
            PERFORM pms.instrument_error(label, 'a bond needs a maturity date',
                'maturity_date is empty.', 'Give the redemption date.');
        END IF;
        IF NEW.coupon_rate IS NULL THEN
            PERFORM pms.instrument_error(label, 'a bond needs a coupon rate',
                'coupon_rate is empty.', 'Use 0 for a zero-coupon bond.');
        END IF;
        IF NEW.coupon_rate < 0 OR NEW.coupon_rate >= 1 THEN
            PERFORM pms.instrument_error(label, format('coupon rate %s is outside [0, 1)', NEW.coupon_rate),
                'Coupon rates are decimal fractions of face value per year.',
                'Write 5% as 0.05; use 0 for a zero-coupon bond.');
        END IF;
        NEW.coupon_frequency := coalesce(NEW.coupon_frequency, 2);
        IF NEW.coupon_frequency NOT IN (1, 2, 4, 12) THEN
            PERFORM pms.instrument_error(label, format('coupon frequency %s is not supported', NEW.coupon_frequency),
                'Coupons are paid 1, 2, 4 or 12 times a year.', NULL);
        END IF;
        NEW.day_count := coalesce(NEW.day_count, '30/360');
        IF NEW.day_count NOT IN ('30/360', 'ACT/ACT', 'ACT/360', 'ACT/365F') THEN
            PERFORM pms.instrument_error(label, format('day count "%s" is not supported', NEW.day_count),
                'Day counts are 30/360, ACT/ACT, ACT/360 and ACT/365F.', NULL);
        END IF;
        IF NEW.issue_date IS NOT NULL AND NEW.issue_date >= NEW.maturity_date THEN
            PERFORM pms.instrument_error(label, 'issue date is not before maturity date',
                format('Issued %s, maturing %s.', to_char(NEW.issue_date, 'YYYY-MM-DD'),
                       to_char(NEW.maturity_date, 'YYYY-MM-DD')), NULL);
        END IF;
        NEW.price_multiplier := coalesce(NEW.price_multiplier, 0.01);
    ELSE
        IF num_nonnulls(NEW.coupon_rate, NEW.maturity_date, NEW.issue_date, NEW.coupon_frequency, NEW.day_count) > 0 THEN
            PERFORM pms.instrument_error(label, format('%s instruments cannot have bond terms', NEW.asset_class),
                'coupon_rate, maturity_date, issue_date, coupon_frequency and day_count are for bonds only.',
                'Leave them empty, or load the instrument as a BOND.');
        END IF;
        NEW.price_multiplier := coalesce(NEW.price_multiplier, 1);
    END IF;
    IF NEW.price_multiplier <= 0 THEN
        PERFORM pms.instrument_error(label, format('price multiplier %s is not positive', NEW.price_multiplier),
            'Value is quantity x price x price_multiplier.', 'Use 0.01 for prices per 100 face, 1 otherwise.');
    END IF;
    IF NEW.min_trade_size < 0 THEN
        PERFORM pms.instrument_error(label, format('minimum trade size %s is negative', NEW.min_trade_size),
            'min_trade_size is the smallest tradable quantity.', 'Leave it empty for no minimum.');
    END IF;
    IF NEW.lot_size <= 0 THEN
        PERFORM pms.instrument_error(label, format('lot size %s is not positive', NEW.lot_size),
            'Trade quantities are multiples of lot_size.', 'Leave it empty for no lot constraint.');
    END IF;
    IF TG_OP = 'UPDATE' THEN
        NEW.created_at := OLD.created_at;
        NEW.updated_at := transaction_timestamp();
    END IF;
    RETURN NEW;
END
$$;
COMMENT ON FUNCTION pms.instruments_validate() IS
    'Trigger: normalizes and validates an instrument row (identifiers, bond terms, defaults); raises 23514 or 22023.';

-- Statement trigger: one InstrumentCreated or InstrumentUpdated event per row, set-based.
CREATE FUNCTION pms.instruments_emit_events() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    INSERT INTO pms.events (household_id, stream_type, stream_id, event_type, payload,
                            occurred_at, actor, correlation_id)
    SELECT NULL, 'instrument', n.instrument_id,
           CASE TG_OP WHEN 'INSERT' THEN 'InstrumentCreated' ELSE 'InstrumentUpdated' END,
           to_jsonb(n) - 'created_at' - 'updated_at',
           transaction_timestamp(), current_user,
           nullif(current_setting('pms.correlation_id', true), '')
    FROM new_rows n
    ORDER BY n.instrument_id;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION pms.instruments_emit_events() IS
    'Trigger: appends one InstrumentCreated/InstrumentUpdated event per inserted or updated instrument.';

CREATE TRIGGER instruments_validate
    BEFORE INSERT OR UPDATE ON pms.instruments
    FOR EACH ROW EXECUTE FUNCTION pms.instruments_validate();
CREATE TRIGGER instruments_created_events
    AFTER INSERT ON pms.instruments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pms.instruments_emit_events();
CREATE TRIGGER instruments_updated_events
    AFTER UPDATE ON pms.instruments REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pms.instruments_emit_events();
CREATE TRIGGER instruments_never_deleted
    BEFORE DELETE ON pms.instruments
    FOR EACH ROW EXECUTE FUNCTION pms.refuse_mutation('Instruments are kept forever; correct a row with UPDATE.');
CREATE TRIGGER instruments_no_truncate
    BEFORE TRUNCATE ON pms.instruments
    FOR EACH STATEMENT EXECUTE FUNCTION pms.refuse_mutation('Instruments are kept forever; correct a row with UPDATE.');
ALTER TABLE pms.instruments ENABLE ALWAYS TRIGGER instruments_never_deleted;
ALTER TABLE pms.instruments ENABLE ALWAYS TRIGGER instruments_no_truncate;

GRANT SELECT ON pms.currencies, pms.countries, pms.instruments TO PUBLIC;
