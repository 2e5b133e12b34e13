-- 61_snapshot_request.sql: builds a rebalance-simulation request from the book.
-- The portfolio (positions and cash as of a time, as known then) and the shelf of held
-- instruments come from pms; evaluated prices, FX rates and model targets do not exist in
-- the book yet, so the request carries them empty for the caller to fill (see
-- docs/simulation.md, "From the book").

-- Returns the request skeleton for an account as of a time (default now).
CREATE FUNCTION pms.snapshot_request(account_id uuid, model_portfolio_id text, as_of timestamptz DEFAULT NULL)
RETURNS jsonb
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    at          timestamptz := coalesce(snapshot_request.as_of, now());
    stamp       text := to_char(coalesce(snapshot_request.as_of, now()) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"');
    acct        record;
    short       record;
BEGIN
    PERFORM pms.require_argument(snapshot_request.account_id, 'account_id', 'pms.snapshot_request');
    IF snapshot_request.model_portfolio_id IS NULL OR btrim(snapshot_request.model_portfolio_id) = '' THEN
        RAISE EXCEPTION 'model_portfolio_id must not be blank'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The request names the model it rebalances to.',
                  HINT = 'Pass the id of the model whose targets you will add.';
    END IF;
    SELECT a.account_id, a.base_currency INTO acct FROM pms.accounts a WHERE a.account_id = snapshot_request.account_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account % does not exist', snapshot_request.account_id
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'pms.snapshot_request needs an existing account.',
                  HINT = 'Correct account_id.';
    END IF;
    SELECT p.instrument_id, p.quantity INTO short
    FROM pms.positions(snapshot_request.account_id, (at AT TIME ZONE 'UTC')::date, at) p
    WHERE p.quantity < 0 ORDER BY p.instrument_id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'account % holds a short position', snapshot_request.account_id
            USING ERRCODE = 'feature_not_supported',
                  DETAIL = format('Instrument %s is at %s; the simulator models long positions only.', short.instrument_id, short.quantity),
                  HINT = 'Close the short before simulating a rebalance.';
    END IF;
    RETURN jsonb_build_object(
        'portfolio_snapshot', jsonb_build_object(
            'portfolio_id', acct.account_id::text,
            'snapshot_id', 'ps_' || acct.account_id || '_' || stamp,
            'base_currency', acct.base_currency,
            'as_of', stamp,
            'positions', coalesce((SELECT jsonb_agg(jsonb_build_object('instrument_id', p.instrument_id::text,
                                                                       'quantity', p.quantity) ORDER BY p.instrument_id)
                                   FROM pms.positions(acct.account_id, (at AT TIME ZONE 'UTC')::date, at) p), '[]'),
            'cash_balances', coalesce((SELECT jsonb_agg(jsonb_build_object('currency', c.currency, 'amount', c.balance)
                                                        ORDER BY c.currency)
                                       FROM pms.cash_balances(acct.account_id, (at AT TIME ZONE 'UTC')::date, at) c), '[]')),
        'market_data_snapshot', jsonb_build_object('snapshot_id', 'md_' || stamp, 'as_of', stamp,
                                                   'prices', '[]'::jsonb, 'fx_rates', '[]'::jsonb),
        'model_portfolio', jsonb_build_object('model_portfolio_id', btrim(snapshot_request.model_portfolio_id),
                                              'targets', '[]'::jsonb),
        'shelf_entries', coalesce((SELECT jsonb_agg(jsonb_build_object(
                                          'instrument_id', i.instrument_id::text,
                                          'status', 'APPROVED',
                                          'asset_class', CASE WHEN i.asset_class = 'FUND' AND i.ticker IS NOT NULL THEN 'ETF'
                                                              ELSE i.asset_class END) ORDER BY i.instrument_id)
                                   FROM pms.positions(acct.account_id, (at AT TIME ZONE 'UTC')::date, at) p
                                   JOIN pms.instruments i ON i.instrument_id = p.instrument_id
                                   WHERE i.asset_class <> 'CASH'), '[]'),
        'policy', jsonb_build_object('policy_version', 'default'));
END
$$;
COMMENT ON FUNCTION pms.snapshot_request(uuid, text, timestamptz) IS
    'A pms.simulate_rebalance request for an account as of a time: positions and cash as known then, and the held instruments on the shelf (APPROVED; funds with a ticker as ETF). Prices (per unit of quantity: bond price x 0.01 per unit of face), FX rates and model targets are left empty for the caller.';
