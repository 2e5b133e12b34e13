-- 57_projection.sql: the live projections of positions and cash, kept current by statement
-- triggers with transition tables, so a COPY of 100K fills is one set-based pass.
-- Invariant: position_projection = position_fold of all executions not cancelled, in
-- (trade_date, seq) order; cash_projection = the sum of every cash flow ever recorded.
-- Concurrency: writers of one account serialize on its row in position_heads (locked in
-- account order), then read with a fresh snapshot, so no update is lost; under REPEATABLE
-- READ a concurrent writer makes the second one fail with 40001 and retry.

CREATE TABLE pms.position_heads (
    household_id    uuid NOT NULL,
    account_id      uuid NOT NULL,
    version         bigint NOT NULL DEFAULT 0,
    PRIMARY KEY (household_id, account_id)
);
COMMENT ON TABLE pms.position_heads IS 'Internal: one row per account that writers lock to serialize projection updates.';
COMMENT ON COLUMN pms.position_heads.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.position_heads.account_id IS 'Account whose projections the row guards.';
COMMENT ON COLUMN pms.position_heads.version IS 'Number of projection updates applied to the account.';

CREATE TABLE pms.position_projection (
    household_id    uuid NOT NULL,
    account_id      uuid NOT NULL,
    instrument_id   uuid NOT NULL,
    quantity        numeric NOT NULL,
    avg_cost        numeric,
    cost_basis      numeric NOT NULL,
    realized_pnl    numeric NOT NULL,
    trade_count     bigint NOT NULL,
    last_trade_date date NOT NULL,
    PRIMARY KEY (household_id, account_id, instrument_id)
);
COMMENT ON TABLE pms.position_projection IS
    'Live projection: the fold of all executions per account and instrument (trade basis, everything known). Derived; rebuilt by pms.rebuild_projections.';
COMMENT ON COLUMN pms.position_projection.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.position_projection.account_id IS 'Account.';
COMMENT ON COLUMN pms.position_projection.instrument_id IS 'Instrument.';
COMMENT ON COLUMN pms.position_projection.quantity IS 'Signed quantity (negative: short).';
COMMENT ON COLUMN pms.position_projection.avg_cost IS 'Weighted average cost in quote convention; NULL when flat.';
COMMENT ON COLUMN pms.position_projection.cost_basis IS 'avg_cost x quantity x price_multiplier.';
COMMENT ON COLUMN pms.position_projection.realized_pnl IS 'Profit and loss realized by reducing trades.';
COMMENT ON COLUMN pms.position_projection.trade_count IS 'Executions folded.';
COMMENT ON COLUMN pms.position_projection.last_trade_date IS 'Latest trade date folded.';
CREATE UNIQUE INDEX position_projection_account_idx ON pms.position_projection (account_id, instrument_id);

CREATE TABLE pms.cash_projection (
    household_id    uuid NOT NULL,
    account_id      uuid NOT NULL,
    currency        text NOT NULL,
    balance         numeric NOT NULL,
    last_value_date date NOT NULL,
    PRIMARY KEY (household_id, account_id, currency)
);
COMMENT ON TABLE pms.cash_projection IS
    'Live projection: cash per account and currency from all cash movements and trade settlements. Derived.';
COMMENT ON COLUMN pms.cash_projection.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.cash_projection.account_id IS 'Account.';
COMMENT ON COLUMN pms.cash_projection.currency IS 'ISO 4217 currency.';
COMMENT ON COLUMN pms.cash_projection.balance IS 'Balance including every recorded flow, whatever its date.';
COMMENT ON COLUMN pms.cash_projection.last_value_date IS 'Latest value or settle date included.';
CREATE UNIQUE INDEX cash_projection_account_idx ON pms.cash_projection (account_id, currency);

-- Writers look heads up by account alone (one account per head).
CREATE UNIQUE INDEX position_heads_account_idx ON pms.position_heads (account_id);

-- Locks the heads of the given accounts in account order (creating missing heads).
CREATE FUNCTION pms.lock_accounts(account_ids uuid[]) RETURNS void
LANGUAGE sql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO pms.position_heads (household_id, account_id)
    SELECT a.household_id, a.account_id FROM pms.accounts a WHERE a.account_id = ANY (account_ids)
    ON CONFLICT DO NOTHING;
    SELECT 1 FROM pms.position_heads
    WHERE account_id = ANY (account_ids) ORDER BY account_id FOR NO KEY UPDATE;
    UPDATE pms.position_heads SET version = version + 1 WHERE account_id = ANY (account_ids);
$$;
COMMENT ON FUNCTION pms.lock_accounts(uuid[]) IS
    'Internal: locks the position heads of accounts (in account order) so their projections are updated one writer at a time.';

-- Recomputes the projection of the given (account, instrument) pairs from all their executions.
CREATE FUNCTION pms.refold_positions(account_ids uuid[], instrument_ids uuid[]) RETURNS void
LANGUAGE sql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
    INSERT INTO pms.position_projection AS p
    SELECT e.household_id, e.account_id, e.instrument_id, (s).quantity, (s).avg_cost, (s).cost_basis,
           (s).realized_pnl, (s).trade_count, e.last_trade_date
    FROM (SELECT e.household_id, e.account_id, e.instrument_id, max(e.trade_date) AS last_trade_date,
                 pms.position_fold(e.side, e.quantity, e.price, i.price_multiplier ORDER BY e.trade_date, e.seq) AS s
          FROM unnest(account_ids, instrument_ids) AS k(account_id, instrument_id)
          JOIN pms.executions e ON e.account_id = k.account_id AND e.instrument_id = k.instrument_id
          JOIN pms.instruments i ON i.instrument_id = e.instrument_id
          WHERE NOT EXISTS (SELECT 1 FROM pms.execution_cancels c
                            WHERE c.household_id = e.household_id AND c.execution_id = e.execution_id)
          GROUP BY e.household_id, e.account_id, e.instrument_id) e
    ON CONFLICT (household_id, account_id, instrument_id) DO UPDATE
    SET quantity = EXCLUDED.quantity, avg_cost = EXCLUDED.avg_cost, cost_basis = EXCLUDED.cost_basis,
        realized_pnl = EXCLUDED.realized_pnl, trade_count = EXCLUDED.trade_count,
        last_trade_date = EXCLUDED.last_trade_date;
    -- pairs whose every execution is cancelled fold to nothing: they are flat
    UPDATE pms.position_projection p
    SET quantity = 0, avg_cost = NULL, cost_basis = 0, realized_pnl = 0, trade_count = 0
    FROM unnest(account_ids, instrument_ids) AS k(account_id, instrument_id)
    WHERE p.account_id = k.account_id AND p.instrument_id = k.instrument_id
      AND NOT EXISTS (SELECT 1 FROM pms.executions e
                      WHERE e.account_id = k.account_id AND e.instrument_id = k.instrument_id
                        AND NOT EXISTS (SELECT 1 FROM pms.execution_cancels c
                                        WHERE c.household_id = e.household_id AND c.execution_id = e.execution_id));
$$;
COMMENT ON FUNCTION pms.refold_positions(uuid[], uuid[]) IS
    'Internal: recomputes the position projection of (account, instrument) pairs from their whole history.';

-- Refuses the statement when a position of an account that does not allow shorts is below zero.
CREATE FUNCTION pms.check_no_shorts(account_ids uuid[], instrument_ids uuid[]) RETURNS void
LANGUAGE plpgsql STABLE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
BEGIN
    SELECT p.account_id, a.name, p.instrument_id, p.quantity INTO bad
    FROM unnest(account_ids, instrument_ids) AS k(account_id, instrument_id)
    JOIN pms.position_projection p ON p.account_id = k.account_id AND p.instrument_id = k.instrument_id
    JOIN pms.accounts a ON a.account_id = p.account_id
    WHERE p.quantity < 0 AND NOT a.allow_short
    ORDER BY p.account_id, p.instrument_id LIMIT 1;
    IF FOUND THEN
        RAISE EXCEPTION 'sell would take account "%" short', bad.name
            USING ERRCODE = 'check_violation',
                  DETAIL = format('Instrument %s would end at quantity %s, and account %s does not allow shorts.',
                                  bad.instrument_id, bad.quantity, bad.account_id),
                  HINT = 'Sell at most the quantity held, or allow shorts on the account.';
    END IF;
END
$$;
COMMENT ON FUNCTION pms.check_no_shorts(uuid[], uuid[]) IS
    'Internal: raises check_violation (23514) when a projected position is short in an account that does not allow shorts.';

-- The statement trigger on executions is C (pms_executions_after_insert, execution_batch.c):
-- it reads the new rows twice, grouped into (household, account, instrument) triples, and
-- leaves the decisions and the writes to the three functions below, called in this order.

-- Batch step 1: checks the batch's triples against accounts and instruments, locks the
-- accounts and drops the checkpoints the batch changes.
CREATE FUNCTION pms.executions_batch_begin(households uuid[], accounts uuid[], instruments uuid[],
                                           first_seqs bigint[], first_trades date[], first_settles date[])
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
BEGIN
    -- A row is bad exactly when its triple is, so the earliest bad triple names the earliest bad row.
    SELECT t.account_id, t.household_id AS given_household, t.instrument_id,
           a.household_id AS account_household, i.instrument_id IS NULL AS unknown_instrument
    INTO bad
    FROM unnest(households, accounts, instruments, first_seqs) AS t(household_id, account_id, instrument_id, first_seq)
    LEFT JOIN pms.accounts a ON a.account_id = t.account_id
    LEFT JOIN pms.instruments i ON i.instrument_id = t.instrument_id
    WHERE a.account_id IS NULL OR a.household_id <> t.household_id OR i.instrument_id IS NULL
    ORDER BY t.first_seq LIMIT 1;
    IF FOUND THEN
        IF bad.account_household IS NULL THEN
            RAISE EXCEPTION 'execution rejected: account % does not exist', bad.account_id
                USING ERRCODE = 'foreign_key_violation',
                      DETAIL = 'The whole statement is rolled back.',
                      HINT = 'Create the account first, or correct account_id.';
        ELSIF bad.account_household <> bad.given_household THEN
            RAISE EXCEPTION 'execution rejected: account % belongs to household %, not %',
                            bad.account_id, bad.account_household, bad.given_household
                USING ERRCODE = 'foreign_key_violation',
                      DETAIL = 'An execution must carry its account''s household; the whole statement is rolled back.',
                      HINT = 'Use the account''s household_id (pms.record_execution fills it in).';
        ELSE
            RAISE EXCEPTION 'execution rejected: instrument % does not exist', bad.instrument_id
                USING ERRCODE = 'foreign_key_violation',
                      DETAIL = 'The whole statement is rolled back.',
                      HINT = 'Load the instrument into pms.instruments first.';
        END IF;
    END IF;

    -- One writer per account at a time; then the checkpoints dated on or after a new fill go.
    PERFORM pms.lock_accounts(ARRAY(SELECT DISTINCT a FROM unnest(accounts) a));
    DELETE FROM pms.position_checkpoints c
    USING unnest(accounts, instruments, first_trades, first_settles) AS k(account_id, instrument_id, trade_date, settle_date)
    WHERE c.account_id = k.account_id AND c.instrument_id = k.instrument_id
      AND c.through_date >= CASE c.basis WHEN 'trade' THEN k.trade_date ELSE k.settle_date END;
END
$$;
COMMENT ON FUNCTION pms.executions_batch_begin(uuid[], uuid[], uuid[], bigint[], date[], date[]) IS
    'Internal (executions trigger): checks a batch''s (household, account, instrument) triples, locks the accounts and drops the checkpoints the batch changes.';

-- Batch step 2 (under the locks): what the fold and the cash of each pair start from, in the
-- order of the arrays.  A pair of an instrument whose currency is unknown moves no cash.
CREATE FUNCTION pms.executions_batch_pairs(accounts uuid[], instruments uuid[])
RETURNS TABLE (price_multiplier numeric, currency text, minor_units smallint, moves_cash boolean,
               state pms.position_state, last_trade_date date)
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT i.price_multiplier, i.currency, cur.minor_units, cur.currency_code IS NOT NULL,
           CASE WHEN p.account_id IS NULL THEN NULL
                ELSE ROW(p.quantity, p.avg_cost, p.cost_basis, p.realized_pnl, p.trade_count)::pms.position_state END,
           p.last_trade_date
    FROM unnest(accounts, instruments) WITH ORDINALITY AS k(account_id, instrument_id, ord)
    JOIN pms.instruments i ON i.instrument_id = k.instrument_id
    LEFT JOIN pms.currencies cur ON cur.currency_code = i.currency
    LEFT JOIN pms.position_projection p ON p.account_id = k.account_id AND p.instrument_id = k.instrument_id
    ORDER BY k.ord;
$$;
COMMENT ON FUNCTION pms.executions_batch_pairs(uuid[], uuid[]) IS
    'Internal (executions trigger): the multiplier, currency and projected position of each (account, instrument) pair, in the order given.';

-- Batch step 3: writes the folded pairs and the batch's cash, refolds the backdated pairs
-- from their history and refuses shorts in accounts that do not allow them.
CREATE FUNCTION pms.executions_batch_finish(households uuid[], accounts uuid[], instruments uuid[],
                                            refold boolean[], quantities numeric[], avg_costs numeric[],
                                            cost_bases numeric[], realized_pnls numeric[], trade_counts bigint[],
                                            last_trade_dates date[], currencies text[], cash numeric[],
                                            last_settle_dates date[])
RETURNS void
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    refold_accounts uuid[];
    refold_instruments uuid[];
BEGIN
    INSERT INTO pms.position_projection AS p
    SELECT k.household_id, k.account_id, k.instrument_id, k.quantity, k.avg_cost, k.cost_basis,
           k.realized_pnl, k.trade_count, k.last_trade_date
    FROM unnest(households, accounts, instruments, refold, quantities, avg_costs, cost_bases, realized_pnls,
                trade_counts, last_trade_dates)
         AS k(household_id, account_id, instrument_id, refold, quantity, avg_cost, cost_basis, realized_pnl,
              trade_count, last_trade_date)
    WHERE NOT k.refold
    ON CONFLICT (household_id, account_id, instrument_id) DO UPDATE
    SET quantity = EXCLUDED.quantity, avg_cost = EXCLUDED.avg_cost, cost_basis = EXCLUDED.cost_basis,
        realized_pnl = EXCLUDED.realized_pnl, trade_count = EXCLUDED.trade_count,
        last_trade_date = EXCLUDED.last_trade_date;

    SELECT array_agg(k.account_id), array_agg(k.instrument_id) INTO refold_accounts, refold_instruments
    FROM unnest(accounts, instruments, refold) AS k(account_id, instrument_id, refold)
    WHERE k.refold;
    IF refold_accounts IS NOT NULL THEN
        PERFORM pms.refold_positions(refold_accounts, refold_instruments);
    END IF;
    PERFORM pms.check_no_shorts(accounts, instruments);

    -- A BUY pays quantity x price x multiplier in the instrument's currency, a SELL receives
    -- it, each fill rounded to the currency's minor units (as pms.trade_cash does).
    INSERT INTO pms.cash_projection AS c (household_id, account_id, currency, balance, last_value_date)
    SELECT k.household_id, k.account_id, k.currency, sum(k.cash), max(k.last_settle_date)
    FROM unnest(households, accounts, currencies, cash, last_settle_dates)
         AS k(household_id, account_id, currency, cash, last_settle_date)
    WHERE k.cash IS NOT NULL
    GROUP BY k.household_id, k.account_id, k.currency
    ON CONFLICT (household_id, account_id, currency) DO UPDATE
    SET balance = c.balance + EXCLUDED.balance,
        last_value_date = greatest(c.last_value_date, EXCLUDED.last_value_date);
END
$$;
COMMENT ON FUNCTION pms.executions_batch_finish(uuid[], uuid[], uuid[], boolean[], numeric[], numeric[], numeric[], numeric[], bigint[], date[], text[], numeric[], date[]) IS
    'Internal (executions trigger): stores the folded positions and the cash of a batch, refolds its backdated pairs and checks shorts.';

-- Statement trigger on executions: validates the batch, drops the checkpoints it invalidates,
-- then advances both projections.
CREATE FUNCTION pms.executions_after_insert() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'pms_executions_after_insert';
COMMENT ON FUNCTION pms.executions_after_insert() IS
    'Trigger (C): validates a batch of executions (account, household, instrument, shorts) and advances the projections.';

-- Statement trigger on execution_cancels: refolds the cancelled pairs and reverses their cash.
CREATE FUNCTION pms.execution_cancels_after_insert() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    pair_accounts uuid[];
    pair_instruments uuid[];
BEGIN
    PERFORM pms.lock_accounts(ARRAY(SELECT DISTINCT e.account_id
                                    FROM new_rows c JOIN pms.executions e USING (household_id, execution_id)));
    DELETE FROM pms.position_checkpoints cp
    USING new_rows c JOIN pms.executions e USING (household_id, execution_id)
    WHERE cp.account_id = e.account_id AND cp.instrument_id = e.instrument_id
      AND cp.through_date >= CASE cp.basis WHEN 'trade' THEN e.trade_date ELSE e.settle_date END;

    SELECT array_agg(a), array_agg(i) INTO pair_accounts, pair_instruments
    FROM (SELECT DISTINCT e.account_id AS a, e.instrument_id AS i
          FROM new_rows c JOIN pms.executions e USING (household_id, execution_id)) d;
    PERFORM pms.refold_positions(pair_accounts, pair_instruments);
    PERFORM pms.check_no_shorts(pair_accounts, pair_instruments);

    UPDATE pms.cash_projection p
    SET balance = p.balance - d.flow
    FROM (SELECT e.account_id, i.currency,
                 sum(pms.trade_cash(e.side, e.quantity, e.price, i.price_multiplier, cur.minor_units)) AS flow
          FROM new_rows c
          JOIN pms.executions e USING (household_id, execution_id)
          JOIN pms.instruments i ON i.instrument_id = e.instrument_id
          JOIN pms.currencies cur ON cur.currency_code = i.currency
          GROUP BY e.account_id, i.currency) d
    WHERE p.account_id = d.account_id AND p.currency = d.currency;
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION pms.execution_cancels_after_insert() IS
    'Trigger: refolds the positions touched by cancelled executions and reverses their cash.';

-- Statement trigger on cash_movements: validates the batch and adds it to the cash projection.
CREATE FUNCTION pms.cash_movements_after_insert() RETURNS trigger
LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    bad record;
BEGIN
    SELECT n.movement_id, n.account_id, n.household_id AS given_household, a.household_id AS account_household,
           n.currency, cur.currency_code IS NULL AS unknown_currency, n.kind, n.amount
    INTO bad
    FROM new_rows n
    LEFT JOIN pms.accounts a ON a.account_id = n.account_id
    LEFT JOIN pms.currencies cur ON cur.currency_code = n.currency
    WHERE a.account_id IS NULL OR a.household_id <> n.household_id OR cur.currency_code IS NULL
       OR n.kind NOT IN ('DEPOSIT', 'WITHDRAWAL', 'FEE', 'INTEREST', 'COUPON', 'TRANSFER_IN', 'TRANSFER_OUT')
       OR n.amount = 0 OR n.amount = 'NaN'::numeric OR n.amount IN ('Infinity'::numeric, '-Infinity'::numeric)
       OR (n.kind IN ('DEPOSIT', 'INTEREST', 'COUPON', 'TRANSFER_IN') AND n.amount < 0)
       OR (n.kind IN ('WITHDRAWAL', 'FEE', 'TRANSFER_OUT') AND n.amount > 0)
    ORDER BY n.movement_id LIMIT 1;
    IF FOUND THEN
        IF bad.account_household IS NULL THEN
            RAISE EXCEPTION 'cash movement rejected: account % does not exist', bad.account_id
                USING ERRCODE = 'foreign_key_violation',
                      DETAIL = 'The whole statement is rolled back.', HINT = 'Correct account_id.';
        ELSIF bad.account_household <> bad.given_household THEN
            RAISE EXCEPTION 'cash movement rejected: account % belongs to household %, not %',
                            bad.account_id, bad.account_household, bad.given_household
                USING ERRCODE = 'foreign_key_violation',
                      DETAIL = 'The whole statement is rolled back.',
                      HINT = 'Use the account''s household_id (pms.record_cash fills it in).';
        ELSIF bad.unknown_currency THEN
            RAISE EXCEPTION 'cash movement rejected: "%" is not an ISO 4217 currency code', bad.currency
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'The whole statement is rolled back.', HINT = 'Use a code such as USD.';
        ELSIF bad.kind NOT IN ('DEPOSIT', 'WITHDRAWAL', 'FEE', 'INTEREST', 'COUPON', 'TRANSFER_IN', 'TRANSFER_OUT') THEN
            RAISE EXCEPTION 'cash movement rejected: "%" is not a cash movement kind', bad.kind
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'Kinds are DEPOSIT, WITHDRAWAL, FEE, INTEREST, COUPON, TRANSFER_IN and TRANSFER_OUT.',
                      HINT = 'Trades move cash by themselves; record them with pms.record_execution.';
        ELSIF bad.amount <> 0 AND bad.amount NOT IN ('NaN'::numeric, 'Infinity'::numeric, '-Infinity'::numeric) THEN
            RAISE EXCEPTION 'cash movement rejected: a % of % has the wrong sign', bad.kind, bad.amount
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'Deposits, interest, coupons and transfers in are positive; withdrawals, fees and transfers out are negative.',
                      HINT = 'Flip the sign, or choose the other kind.';
        ELSE
            RAISE EXCEPTION 'cash movement rejected: amount % is zero or not finite', bad.amount
                USING ERRCODE = 'invalid_parameter_value',
                      DETAIL = 'Amounts are signed: positive into the account, negative out of it.',
                      HINT = 'Record a withdrawal or fee as a negative amount.';
        END IF;
    END IF;

    PERFORM pms.lock_accounts(ARRAY(SELECT DISTINCT account_id FROM new_rows));

    INSERT INTO pms.cash_projection AS c (household_id, account_id, currency, balance, last_value_date)
    SELECT household_id, account_id, currency, sum(amount), max(value_date)
    FROM new_rows GROUP BY household_id, account_id, currency
    ON CONFLICT (household_id, account_id, currency) DO UPDATE
    SET balance = c.balance + EXCLUDED.balance,
        last_value_date = greatest(c.last_value_date, EXCLUDED.last_value_date);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION pms.cash_movements_after_insert() IS
    'Trigger: validates a batch of cash movements (account, household, currency, kind, amount) and adds it to the cash projection.';

CREATE TRIGGER executions_after_insert
    AFTER INSERT ON pms.executions REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pms.executions_after_insert();
CREATE TRIGGER execution_cancels_after_insert
    AFTER INSERT ON pms.execution_cancels REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pms.execution_cancels_after_insert();
CREATE TRIGGER cash_movements_after_insert
    AFTER INSERT ON pms.cash_movements REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pms.cash_movements_after_insert();
