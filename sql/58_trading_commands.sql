-- 58_trading_commands.sql: the commands that record fills, busts and cash.
-- Each validates its arguments with a precise error, fills in the household from the
-- account, and inserts one row into its typed event table; the triggers of that table
-- (55, 57) do the rest, exactly as for a plain INSERT or COPY.

-- Returns the household of an account, or raises foreign_key_violation (23503).
CREATE FUNCTION pms.account_household(account_id uuid, command text) RETURNS uuid
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    found_household uuid;
BEGIN
    PERFORM pms.require_argument(account_household.account_id, 'account_id', command);
    SELECT a.household_id INTO found_household FROM pms.accounts a WHERE a.account_id = account_household.account_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'account % does not exist', account_household.account_id
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('%s needs an existing account.', command),
                  HINT = 'Create the account with pms.create_account, or correct account_id.';
    END IF;
    RETURN found_household;
END
$$;
COMMENT ON FUNCTION pms.account_household(uuid, text) IS
    'Internal: the household of an account; raises foreign_key_violation (23503) when the account does not exist.';

-- Command: records one fill; returns its execution id.
CREATE FUNCTION pms.record_execution(
    account_id uuid,
    instrument_id uuid,
    side text,
    quantity numeric,
    price numeric,
    trade_date date,
    settle_date date DEFAULT NULL,
    order_id text DEFAULT NULL,
    proposal_id uuid DEFAULT NULL,
    actor text DEFAULT current_user
) RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who         text := pms.check_actor(record_execution.actor);
    household   uuid := pms.account_household(record_execution.account_id, 'pms.record_execution');
    new_id      uuid := pms.uuid_v7();
BEGIN
    PERFORM pms.require_argument(record_execution.instrument_id, 'instrument_id', 'pms.record_execution');
    PERFORM pms.require_argument(record_execution.side, 'side', 'pms.record_execution');
    PERFORM pms.require_argument(record_execution.quantity, 'quantity', 'pms.record_execution');
    PERFORM pms.require_argument(record_execution.price, 'price', 'pms.record_execution');
    PERFORM pms.require_argument(record_execution.trade_date, 'trade_date', 'pms.record_execution');
    IF NOT EXISTS (SELECT 1 FROM pms.instruments i WHERE i.instrument_id = record_execution.instrument_id) THEN
        RAISE EXCEPTION 'instrument % does not exist', record_execution.instrument_id
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'pms.record_execution needs an instrument from pms.instruments.',
                  HINT = 'Load the instrument first, or correct instrument_id.';
    END IF;
    INSERT INTO pms.executions (household_id, execution_id, account_id, instrument_id, side, quantity, price,
                                trade_date, settle_date, order_id, proposal_id, actor)
    VALUES (household, new_id, record_execution.account_id, record_execution.instrument_id,
            upper(btrim(record_execution.side)), record_execution.quantity, record_execution.price,
            record_execution.trade_date, record_execution.settle_date, record_execution.order_id,
            record_execution.proposal_id, who);
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION pms.record_execution(uuid, uuid, text, numeric, numeric, date, date, text, uuid, text) IS
    'Records a fill (BUY or SELL) in an account; settle_date defaults to trade date plus one business day. Returns the execution id.';

-- Command: cancels (busts) an execution; it disappears from every read known after the cancel.
CREATE FUNCTION pms.cancel_execution(
    execution_id uuid,
    reason text,
    actor text DEFAULT current_user
) RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who         text := pms.check_actor(cancel_execution.actor);
    household   uuid;
    cancelled   timestamptz;
BEGIN
    PERFORM pms.require_argument(cancel_execution.execution_id, 'execution_id', 'pms.cancel_execution');
    IF cancel_execution.reason IS NULL OR btrim(cancel_execution.reason) = '' THEN
        RAISE EXCEPTION 'a cancellation needs a reason'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'The reason is kept with the cancellation for audit.',
                  HINT = 'Say why, e.g. ''busted by broker'' or ''wrong account''.';
    END IF;
    SELECT e.household_id INTO household FROM pms.executions e WHERE e.execution_id = cancel_execution.execution_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'execution % does not exist', cancel_execution.execution_id
            USING ERRCODE = 'no_data_found',
                  DETAIL = 'Only a recorded execution can be cancelled.',
                  HINT = 'Check the execution id.';
    END IF;
    SELECT c.recorded_at INTO cancelled FROM pms.execution_cancels c
    WHERE c.household_id = household AND c.execution_id = cancel_execution.execution_id;
    IF FOUND THEN
        RAISE EXCEPTION 'execution % is already cancelled', cancel_execution.execution_id
            USING ERRCODE = 'unique_violation',
                  DETAIL = format('It was cancelled at %s.', to_char(cancelled AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"')),
                  HINT = 'A cancellation is final; record a new execution to restore the position.';
    END IF;
    BEGIN
        INSERT INTO pms.execution_cancels (household_id, execution_id, reason, actor)
        VALUES (household, cancel_execution.execution_id, btrim(cancel_execution.reason), who);
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION 'execution % is already cancelled', cancel_execution.execution_id
            USING ERRCODE = 'unique_violation',
                  DETAIL = 'Another session cancelled it at the same time.',
                  HINT = 'A cancellation is final; record a new execution to restore the position.';
    END;
END
$$;
COMMENT ON FUNCTION pms.cancel_execution(uuid, text, text) IS
    'Cancels (busts) an execution: from the moment the cancel is known the fill never happened. A correction is a cancel plus a new execution.';

-- Command: records a cash movement; returns its id.
CREATE FUNCTION pms.record_cash(
    account_id uuid,
    currency text,
    amount numeric,
    kind text,
    value_date date,
    actor text DEFAULT current_user
) RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    who         text := pms.check_actor(record_cash.actor);
    household   uuid := pms.account_household(record_cash.account_id, 'pms.record_cash');
    new_id      uuid := pms.uuid_v7();
BEGIN
    PERFORM pms.require_argument(record_cash.currency, 'currency', 'pms.record_cash');
    PERFORM pms.require_argument(record_cash.amount, 'amount', 'pms.record_cash');
    PERFORM pms.require_argument(record_cash.kind, 'kind', 'pms.record_cash');
    PERFORM pms.require_argument(record_cash.value_date, 'value_date', 'pms.record_cash');
    INSERT INTO pms.cash_movements (household_id, movement_id, account_id, currency, amount, kind, value_date, actor)
    VALUES (household, new_id, record_cash.account_id, pms.check_currency(record_cash.currency),
            record_cash.amount, upper(btrim(record_cash.kind)), record_cash.value_date, who);
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION pms.record_cash(uuid, text, numeric, text, date, text) IS
    'Records a signed cash movement (DEPOSIT, WITHDRAWAL, FEE, INTEREST, COUPON, TRANSFER_IN, TRANSFER_OUT). Returns its id.';
