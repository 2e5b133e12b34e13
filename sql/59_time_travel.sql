-- 59_time_travel.sql: reads of positions and cash as of a business date, as known at a time.
-- Clocks: the as_of / known_at arguments, else the pms.as_of / pms.known_at settings, else
-- today / everything recorded.  pms.position_basis chooses trade or settle dates.
-- Historical reads start from the latest valid checkpoint (a stored fold of an account's
-- history through a date) and fold only the remainder; reads of the present on the trade
-- basis come straight from the live projection.

-- The business date a read is for: the argument, else pms.as_of, else today.
CREATE FUNCTION pms.resolve_as_of(as_of date DEFAULT NULL) RETURNS date
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(as_of, nullif(current_setting('pms.as_of', true), '')::date, current_date)
$$;
COMMENT ON FUNCTION pms.resolve_as_of(date) IS
    'The business date a read is computed as of: the argument, else the pms.as_of setting, else today.';

-- The knowledge time a read is for: the argument, else pms.known_at, else everything recorded.
CREATE FUNCTION pms.resolve_known_at(known_at timestamptz DEFAULT NULL) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
    SELECT coalesce(known_at, nullif(current_setting('pms.known_at', true), '')::timestamptz, 'infinity')
$$;
COMMENT ON FUNCTION pms.resolve_known_at(timestamptz) IS
    'The knowledge time a read is computed as known at: the argument, else the pms.known_at setting, else infinity (all that is recorded).';

CREATE TABLE pms.position_checkpoints (
    household_id    uuid NOT NULL,
    account_id      uuid NOT NULL,
    instrument_id   uuid NOT NULL,
    basis           text NOT NULL CHECK (basis IN ('trade', 'settle')),
    through_date    date NOT NULL,
    known_from      timestamptz NOT NULL,
    state           pms.position_state NOT NULL,
    last_trade_date date NOT NULL,
    PRIMARY KEY (household_id, account_id, instrument_id, basis, through_date)
);
COMMENT ON TABLE pms.position_checkpoints IS
    'Derived: the fold of an account''s executions in one instrument dated on or before through_date. Valid for reads known at or after known_from; the execution triggers delete it when a backdated fill or a cancel changes that history.';
COMMENT ON COLUMN pms.position_checkpoints.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.position_checkpoints.account_id IS 'Account.';
COMMENT ON COLUMN pms.position_checkpoints.instrument_id IS 'Instrument.';
COMMENT ON COLUMN pms.position_checkpoints.basis IS 'trade or settle: which date the history is cut on.';
COMMENT ON COLUMN pms.position_checkpoints.through_date IS 'Last business date folded (inclusive).';
COMMENT ON COLUMN pms.position_checkpoints.known_from IS 'Latest recorded_at among the folded executions and their cancels: the checkpoint answers reads known at or after it.';
COMMENT ON COLUMN pms.position_checkpoints.state IS 'The folded position state.';
COMMENT ON COLUMN pms.position_checkpoints.last_trade_date IS 'Latest trade date folded.';
CREATE INDEX position_checkpoints_read_idx ON pms.position_checkpoints (account_id, basis, instrument_id, through_date);

-- Builds checkpoints through a date for some accounts (default: all) on one basis; returns how many.
CREATE FUNCTION pms.checkpoint_positions(through_date date, account_ids uuid[] DEFAULT NULL, basis text DEFAULT 'trade')
RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    accounts uuid[];
    written bigint;
BEGIN
    PERFORM pms.require_argument(checkpoint_positions.through_date, 'through_date', 'pms.checkpoint_positions');
    IF checkpoint_positions.basis IS NULL OR checkpoint_positions.basis NOT IN ('trade', 'settle') THEN
        RAISE EXCEPTION 'basis "%" is not trade or settle', checkpoint_positions.basis
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Checkpoints cut the history on trade dates or on settle dates.',
                  HINT = 'Pass basis => ''trade'' or basis => ''settle''.';
    END IF;
    accounts := ARRAY(SELECT a.account_id FROM pms.accounts a
                      WHERE checkpoint_positions.account_ids IS NULL OR a.account_id = ANY (checkpoint_positions.account_ids));
    -- Writers of these accounts wait until the checkpoints are stored: nothing slips between.
    PERFORM pms.lock_accounts(accounts);
    INSERT INTO pms.position_checkpoints AS c
    SELECT e.household_id, e.account_id, e.instrument_id, checkpoint_positions.basis, checkpoint_positions.through_date,
           greatest(max(e.recorded_at), max(x.recorded_at)),
           pms.position_fold(e.side, e.quantity, e.price, i.price_multiplier ORDER BY
                             CASE checkpoint_positions.basis WHEN 'trade' THEN e.trade_date ELSE e.settle_date END, e.seq)
               FILTER (WHERE x.execution_id IS NULL),
           max(e.trade_date)
    FROM pms.executions e
    JOIN pms.instruments i ON i.instrument_id = e.instrument_id
    LEFT JOIN pms.execution_cancels x ON x.household_id = e.household_id AND x.execution_id = e.execution_id
    WHERE e.account_id = ANY (accounts)
      AND CASE checkpoint_positions.basis WHEN 'trade' THEN e.trade_date ELSE e.settle_date END <= checkpoint_positions.through_date
    GROUP BY e.household_id, e.account_id, e.instrument_id
    HAVING count(*) FILTER (WHERE x.execution_id IS NULL) > 0
    ON CONFLICT ON CONSTRAINT position_checkpoints_pkey DO UPDATE
    SET known_from = EXCLUDED.known_from, state = EXCLUDED.state, last_trade_date = EXCLUDED.last_trade_date;
    GET DIAGNOSTICS written = ROW_COUNT;
    RETURN written;
END
$$;
COMMENT ON FUNCTION pms.checkpoint_positions(date, uuid[], text) IS
    'Stores the fold of each position through a date (all accounts by default) so historical reads fold only what follows; returns the number of checkpoints written. Schedule it, e.g. monthly.';

-- Positions of many accounts (default: all) as of a date, as known at a time, in one
-- set-based pass: non-zero positions only.
CREATE FUNCTION pms.positions_of(account_ids uuid[] DEFAULT NULL, as_of date DEFAULT NULL, known_at timestamptz DEFAULT NULL)
RETURNS TABLE (household_id uuid, account_id uuid, instrument_id uuid, quantity numeric, avg_cost numeric,
               cost_basis numeric, realized_pnl numeric, last_trade_date date)
LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 100000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    day     date := pms.resolve_as_of(positions_of.as_of);
    known   timestamptz := pms.resolve_known_at(positions_of.known_at);
    on_date text := coalesce(current_setting('pms.position_basis', true), 'trade');
    refold  uuid[] := positions_of.account_ids;
    -- Dynamic SQL so that "all accounts" and "these accounts" each get a plan of their own.
    only_these text := CASE WHEN positions_of.account_ids IS NULL THEN '' ELSE 'AND %I.account_id = ANY ($1)' END;
BEGIN
    -- The present, on the trade basis, with everything known: the live projection answers
    -- for every account without a fill dated after the as-of date; only those are folded.
    IF known = 'infinity' AND on_date = 'trade' THEN
        EXECUTE format('SELECT coalesce(array_agg(DISTINCT p.account_id), ''{}'') FROM pms.position_projection p
                        WHERE p.last_trade_date > $2 ' || only_these, 'p')
            INTO refold USING positions_of.account_ids, day;
        RETURN QUERY EXECUTE format(
            'SELECT p.household_id, p.account_id, p.instrument_id, p.quantity, p.avg_cost, p.cost_basis,
                    p.realized_pnl, p.last_trade_date
             FROM pms.position_projection p
             WHERE p.quantity <> 0 AND p.account_id <> ALL ($2) ' || only_these, 'p')
            USING positions_of.account_ids, refold;
        IF cardinality(refold) = 0 THEN
            RETURN;
        END IF;
        only_these := 'AND %I.account_id = ANY ($1)';
    END IF;
    -- Otherwise: the latest valid checkpoint per position, then fold what follows it.
    RETURN QUERY EXECUTE format($q$
    WITH cp AS (
        SELECT DISTINCT ON (c.account_id, c.instrument_id)
               c.household_id, c.account_id, c.instrument_id, c.through_date, c.state, c.last_trade_date
        FROM pms.position_checkpoints c
        WHERE c.basis = $4 AND c.through_date <= $2 AND c.known_from <= $3 %1$s
        ORDER BY c.account_id, c.instrument_id, c.through_date DESC
    ), rest AS (
        SELECT e.household_id, e.account_id, e.instrument_id, max(e.trade_date) AS last_trade_date,
               pms.position_fold(cp.state, e.side, e.quantity, e.price, i.price_multiplier
                                 ORDER BY CASE $4 WHEN 'trade' THEN e.trade_date ELSE e.settle_date END, e.seq) AS s
        FROM pms.executions e
        JOIN pms.instruments i ON i.instrument_id = e.instrument_id
        LEFT JOIN cp ON cp.account_id = e.account_id AND cp.instrument_id = e.instrument_id
        WHERE CASE $4 WHEN 'trade' THEN e.trade_date ELSE e.settle_date END <= $2
          AND CASE $4 WHEN 'trade' THEN e.trade_date ELSE e.settle_date END > coalesce(cp.through_date, '-infinity')
          AND e.recorded_at <= $3 %2$s
          AND NOT EXISTS (SELECT 1 FROM pms.execution_cancels x
                          WHERE x.household_id = e.household_id AND x.execution_id = e.execution_id
                            AND x.recorded_at <= $3)
        GROUP BY e.household_id, e.account_id, e.instrument_id
    )
    SELECT coalesce(r.household_id, cp.household_id), coalesce(r.account_id, cp.account_id),
           coalesce(r.instrument_id, cp.instrument_id),
           (coalesce(r.s, cp.state)).quantity, (coalesce(r.s, cp.state)).avg_cost,
           (coalesce(r.s, cp.state)).cost_basis, (coalesce(r.s, cp.state)).realized_pnl,
           greatest(r.last_trade_date, cp.last_trade_date)
    FROM rest r
    FULL JOIN cp ON cp.account_id = r.account_id AND cp.instrument_id = r.instrument_id
    WHERE (coalesce(r.s, cp.state)).quantity <> 0
    $q$, format(only_these, 'c'), format(only_these, 'e'))
        USING refold, day, known, on_date;
END
$$;
COMMENT ON FUNCTION pms.positions_of(uuid[], date, timestamptz) IS
    'Non-zero positions of many accounts (all by default) as of a business date, as known at a time, in one set-based pass (projection for the present, checkpoints plus fold otherwise), unordered; NULL dates use pms.as_of / pms.known_at.';

-- Positions of one account as of a date, as known at a time: non-zero positions only.
CREATE FUNCTION pms.positions(account_id uuid, as_of date DEFAULT NULL, known_at timestamptz DEFAULT NULL)
RETURNS TABLE (instrument_id uuid, quantity numeric, avg_cost numeric, cost_basis numeric,
               realized_pnl numeric, last_trade_date date)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pms.require_argument(positions.account_id, 'account_id', 'pms.positions');
    RETURN QUERY
    SELECT p.instrument_id, p.quantity, p.avg_cost, p.cost_basis, p.realized_pnl, p.last_trade_date
    FROM pms.positions_of(ARRAY[positions.account_id], positions.as_of, positions.known_at) p
    ORDER BY p.instrument_id;
END
$$;
COMMENT ON FUNCTION pms.positions(uuid, date, timestamptz) IS
    'Non-zero positions of an account as of a business date (trade or settle basis per pms.position_basis), as known at a time; NULL arguments use pms.as_of / pms.known_at.';

CREATE VIEW pms.cash_ledger AS
SELECT m.household_id, m.account_id, m.currency, m.amount, m.kind, m.value_date,
       m.recorded_at, NULL::timestamptz AS cancelled_at, m.movement_id AS source_id
FROM pms.cash_movements m
UNION ALL
SELECT e.household_id, e.account_id, i.currency,
       pms.trade_cash(e.side, e.quantity, e.price, i.price_multiplier, cur.minor_units),
       e.side, e.settle_date, e.recorded_at, x.recorded_at, e.execution_id
FROM pms.executions e
JOIN pms.instruments i ON i.instrument_id = e.instrument_id
JOIN pms.currencies cur ON cur.currency_code = i.currency
LEFT JOIN pms.execution_cancels x ON x.household_id = e.household_id AND x.execution_id = e.execution_id;
COMMENT ON VIEW pms.cash_ledger IS
    'Every cash flow of every account: cash movements and trade settlements (cash history); cancelled trades carry cancelled_at.';
COMMENT ON COLUMN pms.cash_ledger.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.cash_ledger.account_id IS 'Account.';
COMMENT ON COLUMN pms.cash_ledger.currency IS 'ISO 4217 currency of the flow.';
COMMENT ON COLUMN pms.cash_ledger.amount IS 'Signed amount: positive into the account.';
COMMENT ON COLUMN pms.cash_ledger.kind IS 'Cash movement kind, or BUY / SELL for a trade settlement.';
COMMENT ON COLUMN pms.cash_ledger.value_date IS 'Value date, or settle date for a trade.';
COMMENT ON COLUMN pms.cash_ledger.recorded_at IS 'Knowledge time of the flow.';
COMMENT ON COLUMN pms.cash_ledger.cancelled_at IS 'Knowledge time of the trade''s cancellation, if it was cancelled.';
COMMENT ON COLUMN pms.cash_ledger.source_id IS 'The cash movement or execution the flow comes from.';

-- Cash balances of many accounts (default: all) per currency as of a value date, as known
-- at a time, in one set-based pass.
CREATE FUNCTION pms.cash_balances_of(account_ids uuid[] DEFAULT NULL, as_of date DEFAULT NULL, known_at timestamptz DEFAULT NULL)
RETURNS TABLE (household_id uuid, account_id uuid, currency text, balance numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE ROWS 10000
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    day     date := pms.resolve_as_of(cash_balances_of.as_of);
    known   timestamptz := pms.resolve_known_at(cash_balances_of.known_at);
    summed  uuid[] := cash_balances_of.account_ids;
    only_these text := CASE WHEN cash_balances_of.account_ids IS NULL THEN '' ELSE 'AND %I.account_id = ANY ($1)' END;
BEGIN
    -- With everything known, the projection answers for accounts without a later value date.
    IF known = 'infinity' THEN
        EXECUTE format('SELECT coalesce(array_agg(DISTINCT c.account_id), ''{}'') FROM pms.cash_projection c
                        WHERE c.last_value_date > $2 ' || only_these, 'c')
            INTO summed USING cash_balances_of.account_ids, day;
        RETURN QUERY EXECUTE format(
            'SELECT c.household_id, c.account_id, c.currency, c.balance FROM pms.cash_projection c
             WHERE c.account_id <> ALL ($2) ' || only_these, 'c')
            USING cash_balances_of.account_ids, summed;
        IF cardinality(summed) = 0 THEN
            RETURN;
        END IF;
        only_these := 'AND %I.account_id = ANY ($1)';
    END IF;
    RETURN QUERY EXECUTE format(
        'SELECT l.household_id, l.account_id, l.currency, sum(l.amount)
         FROM pms.cash_ledger l
         WHERE l.value_date <= $2 AND l.recorded_at <= $3 AND (l.cancelled_at IS NULL OR l.cancelled_at > $3) '
         || only_these || '
         GROUP BY l.household_id, l.account_id, l.currency', 'l')
        USING summed, day, known;
END
$$;
COMMENT ON FUNCTION pms.cash_balances_of(uuid[], date, timestamptz) IS
    'Cash per currency of many accounts (all by default) as of a value date, as known at a time, in one set-based pass, unordered; NULL dates use pms.as_of / pms.known_at.';

-- Cash balances of one account as of a date, as known at a time, per currency.
CREATE FUNCTION pms.cash_balances(account_id uuid, as_of date DEFAULT NULL, known_at timestamptz DEFAULT NULL)
RETURNS TABLE (currency text, balance numeric)
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pms.require_argument(cash_balances.account_id, 'account_id', 'pms.cash_balances');
    RETURN QUERY
    SELECT c.currency, c.balance
    FROM pms.cash_balances_of(ARRAY[cash_balances.account_id], cash_balances.as_of, cash_balances.known_at) c
    ORDER BY c.currency;
END
$$;
COMMENT ON FUNCTION pms.cash_balances(uuid, date, timestamptz) IS
    'Cash per currency of an account as of a value date, as known at a time: cash movements plus trades settled by then; NULL arguments use pms.as_of / pms.known_at.';

-- Rebuilds the live projections of some accounts (default: all) from their events.
CREATE FUNCTION pms.rebuild_projections(account_ids uuid[] DEFAULT NULL) RETURNS bigint
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    accounts uuid[];
    pair_accounts uuid[];
    pair_instruments uuid[];
    rebuilt bigint;
BEGIN
    accounts := ARRAY(SELECT a.account_id FROM pms.accounts a
                      WHERE rebuild_projections.account_ids IS NULL OR a.account_id = ANY (rebuild_projections.account_ids));
    PERFORM pms.lock_accounts(accounts);
    DELETE FROM pms.position_projection p WHERE p.account_id = ANY (accounts);
    SELECT array_agg(e.account_id), array_agg(e.instrument_id) INTO pair_accounts, pair_instruments
    FROM (SELECT DISTINCT x.account_id, x.instrument_id FROM pms.executions x WHERE x.account_id = ANY (accounts)) e;
    IF pair_accounts IS NOT NULL THEN
        PERFORM pms.refold_positions(pair_accounts, pair_instruments);
    END IF;
    DELETE FROM pms.cash_projection c WHERE c.account_id = ANY (accounts);
    INSERT INTO pms.cash_projection (household_id, account_id, currency, balance, last_value_date)
    SELECT l.household_id, l.account_id, l.currency, sum(l.amount), max(l.value_date)
    FROM pms.cash_ledger l
    WHERE l.account_id = ANY (accounts) AND l.cancelled_at IS NULL
    GROUP BY l.household_id, l.account_id, l.currency;
    SELECT count(*) INTO rebuilt FROM pms.position_projection p WHERE p.account_id = ANY (accounts);
    RETURN rebuilt;
END
$$;
COMMENT ON FUNCTION pms.rebuild_projections(uuid[]) IS
    'Recomputes the live position and cash projections of some accounts (all by default) from their events; returns the number of positions rebuilt. For repair and after a restore.';
