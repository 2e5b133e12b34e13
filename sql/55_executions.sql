-- 55_executions.sql: the typed event tables of trading: executions, their cancellations,
-- and cash movements.  Each row is an event (ExecutionRecorded, ExecutionCancelled,
-- CashMoved) kept in its own append-only table rather than copied into pms.events, so a
-- COPY of millions of fills is one pass over one table.  Validation: a C row trigger for
-- what a row can say about itself, a set-based statement trigger for the rest
-- (57_projection.sql); a bad row anywhere in a statement aborts the whole statement.

ALTER TABLE pms.accounts ADD COLUMN allow_short boolean NOT NULL DEFAULT false;
COMMENT ON COLUMN pms.accounts.allow_short IS 'Whether a sell may take a position below zero (false: such a sell is refused).';

CREATE FUNCTION pms.add_business_days(day date, days integer) RETURNS date
    LANGUAGE c IMMUTABLE STRICT PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_add_business_days';
COMMENT ON FUNCTION pms.add_business_days(date, integer) IS
    'The date plus a number of business days, skipping Saturdays and Sundays (no holiday calendar); 0 rolls a weekend forward.';

CREATE FUNCTION pms.trade_cash(side text, quantity numeric, price numeric, price_multiplier numeric, minor_units smallint)
RETURNS numeric
    LANGUAGE c IMMUTABLE PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_trade_cash';
COMMENT ON FUNCTION pms.trade_cash(text, numeric, numeric, numeric, smallint) IS
    'Cash a fill moves on its settle date: quantity x price x multiplier, negative for a BUY, rounded half away from zero to the currency''s minor units (2 when it has none).';

CREATE FUNCTION pms.uuid_v7() RETURNS uuid
    LANGUAGE c VOLATILE PARALLEL SAFE AS 'MODULE_PATHNAME', 'pms_uuid_v7';
COMMENT ON FUNCTION pms.uuid_v7() IS
    'A new time-ordered UUID (version 7, RFC 9562): Unix milliseconds, then a sub-millisecond fraction and random bits; increasing within a session. Default of the event ids.';

CREATE TABLE pms.executions (
    household_id    uuid NOT NULL,
    execution_id    uuid NOT NULL DEFAULT pms.uuid_v7(),
    seq             bigint GENERATED ALWAYS AS IDENTITY (CACHE 1000),
    account_id      uuid NOT NULL,
    instrument_id   uuid NOT NULL,
    side            text NOT NULL,
    quantity        numeric NOT NULL,
    price           numeric NOT NULL,
    trade_date      date NOT NULL,
    settle_date     date NOT NULL,
    order_id        text,
    proposal_id     uuid,
    recorded_at     timestamptz NOT NULL DEFAULT pg_catalog.transaction_timestamp(),
    actor           text NOT NULL DEFAULT current_user,
    PRIMARY KEY (household_id, execution_id)
);
COMMENT ON TABLE pms.executions IS
    'Fills (typed, append-only events): the source of every position. Load with record_execution, INSERT or COPY.';
COMMENT ON COLUMN pms.executions.household_id IS 'Household of the account (must match the account''s).';
COMMENT ON COLUMN pms.executions.execution_id IS 'Execution id (generated when not given).';
COMMENT ON COLUMN pms.executions.seq IS 'Recording order: breaks ties between executions of the same date.';
COMMENT ON COLUMN pms.executions.account_id IS 'Account that traded.';
COMMENT ON COLUMN pms.executions.instrument_id IS 'Instrument traded.';
COMMENT ON COLUMN pms.executions.side IS 'BUY or SELL.';
COMMENT ON COLUMN pms.executions.quantity IS 'Positive quantity: face amount for bonds, units otherwise.';
COMMENT ON COLUMN pms.executions.price IS 'Price in the instrument''s quote convention (per 100 face for bonds), at or above zero.';
COMMENT ON COLUMN pms.executions.trade_date IS 'Trade date (business time of the position on the trade basis).';
COMMENT ON COLUMN pms.executions.settle_date IS 'Settlement date (default: trade date plus one business day); cash moves on it.';
COMMENT ON COLUMN pms.executions.order_id IS 'Order id in the order management system, if any.';
COMMENT ON COLUMN pms.executions.proposal_id IS 'Proposal the execution implements, if any.';
COMMENT ON COLUMN pms.executions.recorded_at IS 'Knowledge time: when pms learned of the fill.';
COMMENT ON COLUMN pms.executions.actor IS 'Who recorded it.';
-- Ids are unique across households: pms.cancel_execution finds a fill by its id alone.
CREATE UNIQUE INDEX executions_execution_id_idx ON pms.executions (execution_id);
-- Reads and refolds select by account, instrument and trade date; the fold's own ORDER BY
-- (trade_date, seq) sorts within each position, so seq is not part of the key.
CREATE INDEX executions_account_trade_idx ON pms.executions (account_id, instrument_id, trade_date);
CREATE INDEX executions_account_settle_idx ON pms.executions (account_id, settle_date);

CREATE TABLE pms.execution_cancels (
    household_id    uuid NOT NULL,
    execution_id    uuid NOT NULL,
    reason          text NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT pg_catalog.transaction_timestamp(),
    actor           text NOT NULL DEFAULT current_user,
    PRIMARY KEY (household_id, execution_id),
    FOREIGN KEY (household_id, execution_id) REFERENCES pms.executions (household_id, execution_id)
);
COMMENT ON TABLE pms.execution_cancels IS
    'Busts (typed, append-only events): a cancelled execution never happened, from the moment the cancel is known.';
COMMENT ON COLUMN pms.execution_cancels.household_id IS 'Household of the cancelled execution.';
COMMENT ON COLUMN pms.execution_cancels.execution_id IS 'The execution that is cancelled (at most once).';
COMMENT ON COLUMN pms.execution_cancels.reason IS 'Why it was cancelled.';
COMMENT ON COLUMN pms.execution_cancels.recorded_at IS 'Knowledge time of the cancellation.';
COMMENT ON COLUMN pms.execution_cancels.actor IS 'Who cancelled it.';

CREATE TABLE pms.cash_movements (
    household_id    uuid NOT NULL,
    movement_id     uuid NOT NULL DEFAULT pms.uuid_v7(),
    account_id      uuid NOT NULL,
    currency        text NOT NULL,
    amount          numeric NOT NULL,
    kind            text NOT NULL,
    value_date      date NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT pg_catalog.transaction_timestamp(),
    actor           text NOT NULL DEFAULT current_user,
    PRIMARY KEY (household_id, movement_id)
);
COMMENT ON TABLE pms.cash_movements IS
    'Cash events other than trades (typed, append-only): deposits, withdrawals, fees, interest, coupons, transfers.';
COMMENT ON COLUMN pms.cash_movements.household_id IS 'Household of the account.';
COMMENT ON COLUMN pms.cash_movements.movement_id IS 'Movement id (generated when not given).';
COMMENT ON COLUMN pms.cash_movements.account_id IS 'Account whose cash moves.';
COMMENT ON COLUMN pms.cash_movements.currency IS 'ISO 4217 currency of the amount.';
COMMENT ON COLUMN pms.cash_movements.amount IS 'Signed amount: positive into the account, negative out of it.';
COMMENT ON COLUMN pms.cash_movements.kind IS 'DEPOSIT, WITHDRAWAL, FEE, INTEREST, COUPON, TRANSFER_IN or TRANSFER_OUT.';
COMMENT ON COLUMN pms.cash_movements.value_date IS 'Date the cash moves (business time of cash balances).';
COMMENT ON COLUMN pms.cash_movements.recorded_at IS 'Knowledge time: when pms learned of the movement.';
COMMENT ON COLUMN pms.cash_movements.actor IS 'Who recorded it.';
CREATE INDEX cash_movements_account_idx ON pms.cash_movements (account_id, value_date);

SELECT pg_catalog.pg_extension_config_dump('pms.executions', '');
SELECT pg_catalog.pg_extension_config_dump('pms.execution_cancels', '');
SELECT pg_catalog.pg_extension_config_dump('pms.cash_movements', '');

CREATE FUNCTION pms.executions_check_row() RETURNS trigger
    LANGUAGE c AS 'MODULE_PATHNAME', 'pms_executions_check_row';
COMMENT ON FUNCTION pms.executions_check_row() IS
    'Trigger (C): rejects a row with a bad side, quantity, price or dates, stamps recorded_at with the transaction time and defaults settle_date to trade date plus one business day.';
CREATE TRIGGER executions_check_row
    BEFORE INSERT ON pms.executions
    FOR EACH ROW EXECUTE FUNCTION pms.executions_check_row();

CREATE TRIGGER execution_cancels_stamp BEFORE INSERT ON pms.execution_cancels
    FOR EACH ROW EXECUTE FUNCTION pms.stamp_recorded_at();
CREATE TRIGGER cash_movements_stamp BEFORE INSERT ON pms.cash_movements
    FOR EACH ROW EXECUTE FUNCTION pms.stamp_recorded_at();

-- Append-only guards on all three event tables.
CREATE TRIGGER executions_append_only BEFORE UPDATE OR DELETE ON pms.executions
    FOR EACH ROW EXECUTE FUNCTION pms.refuse_mutation('Cancel the execution with pms.cancel_execution and record the corrected fill.');
CREATE TRIGGER executions_no_truncate BEFORE TRUNCATE ON pms.executions
    FOR EACH STATEMENT EXECUTE FUNCTION pms.refuse_mutation('Cancel the execution with pms.cancel_execution and record the corrected fill.');
CREATE TRIGGER execution_cancels_append_only BEFORE UPDATE OR DELETE ON pms.execution_cancels
    FOR EACH ROW EXECUTE FUNCTION pms.refuse_mutation('A cancellation is final; record a new execution to restore the position.');
CREATE TRIGGER execution_cancels_no_truncate BEFORE TRUNCATE ON pms.execution_cancels
    FOR EACH STATEMENT EXECUTE FUNCTION pms.refuse_mutation('A cancellation is final; record a new execution to restore the position.');
CREATE TRIGGER cash_movements_append_only BEFORE UPDATE OR DELETE ON pms.cash_movements
    FOR EACH ROW EXECUTE FUNCTION pms.refuse_mutation('Record an offsetting cash movement instead.');
CREATE TRIGGER cash_movements_no_truncate BEFORE TRUNCATE ON pms.cash_movements
    FOR EACH STATEMENT EXECUTE FUNCTION pms.refuse_mutation('Record an offsetting cash movement instead.');
ALTER TABLE pms.executions ENABLE ALWAYS TRIGGER executions_append_only;
ALTER TABLE pms.executions ENABLE ALWAYS TRIGGER executions_no_truncate;
ALTER TABLE pms.execution_cancels ENABLE ALWAYS TRIGGER execution_cancels_append_only;
ALTER TABLE pms.execution_cancels ENABLE ALWAYS TRIGGER execution_cancels_no_truncate;
ALTER TABLE pms.cash_movements ENABLE ALWAYS TRIGGER cash_movements_append_only;
ALTER TABLE pms.cash_movements ENABLE ALWAYS TRIGGER cash_movements_no_truncate;
