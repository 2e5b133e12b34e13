-- position_fold.sql: pms.position_fold, hand-checked scenarios, the start-state variant, the
-- numeric fallback for values beyond 128-bit fixed point, and every error path.
\i test/fixtures/setup.sql

CREATE TEMP TABLE trades (book text, seq int, side text, quantity numeric, price numeric, mult numeric);

-- one equity position through every transition, shown step by step (a window over the fold)
INSERT INTO trades VALUES
    ('eq', 1, 'BUY', 100, 10, 1),       -- open long: avg 10
    ('eq', 2, 'BUY', 50, 13, 1),        -- avg (1000 + 650) / 150 = 11
    ('eq', 3, 'BUY', 30, 10, 1),        -- avg 1950 / 180 = 10.8333333333 (rounded to 10 decimals)
    ('eq', 4, 'SELL', 80, 12, 1),       -- partial sell: realizes (12 - 10.8333333333) * 80, avg unchanged
    ('eq', 5, 'SELL', 150, 11, 1),      -- past zero: realizes 0.1666666667 * 100, short 50 at 11
    ('eq', 6, 'SELL', 50, 13, 1),       -- short add: avg (550 + 650) / 100 = 12
    ('eq', 7, 'BUY', 40, 10, 1),        -- cover: realizes (12 - 10) * 40 = 80
    ('eq', 8, 'BUY', 100, 9, 1),        -- past zero: realizes (12 - 9) * 60 = 180, long 40 at 9
    ('eq', 9, 'SELL', 40, 9.5, 1);      -- flat: realizes 0.5 * 40 = 20, avg NULL, cost basis 0
SELECT seq, side, quantity, price, (s).*
FROM (SELECT seq, side, quantity, price,
             pms.position_fold(side, quantity, price, mult) OVER (ORDER BY seq) AS s
      FROM trades WHERE book = 'eq') t
ORDER BY seq;

-- the ordered aggregate gives the last state; scales are canonical (no trailing zeros)
SELECT (pms.position_fold(side, quantity, price, mult ORDER BY seq)).* FROM trades WHERE book = 'eq';
SELECT pms.position_fold(side, quantity, price, mult ORDER BY seq)::text AS flat FROM trades WHERE book = 'eq';
SELECT (pms.position_fold(side, quantity, price, mult ORDER BY seq)).*
FROM trades WHERE book = 'eq' AND seq <= 4;
SELECT pms.position_fold(side, quantity * 1.000, price * 1.00, mult * 1.0 ORDER BY seq)::text AS same_with_trailing_zeros
FROM trades WHERE book = 'eq' AND seq <= 4;

-- a bond: quantity is face, price per 100, multiplier 0.01
INSERT INTO trades VALUES
    ('bond', 1, 'BUY', 1000000, 99.5, 0.01),    -- cost basis 995000
    ('bond', 2, 'SELL', 400000, 100.25, 0.01),  -- realizes 0.75 * 400000 * 0.01 = 3000
    ('bond', 3, 'BUY', 200000, 98.75, 0.010);   -- avg (59700000 + 19750000) / 800000 = 99.3125; 0.010 = 0.01
SELECT seq, (pms.position_fold(side, quantity, price, mult) OVER (ORDER BY seq)).*
FROM trades WHERE book = 'bond' ORDER BY seq;

-- a fund in fractional units
INSERT INTO trades VALUES
    ('fund', 1, 'BUY', 12.345, 101.17, 1),
    ('fund', 2, 'BUY', 0.655, 99.99, 1),        -- avg 1314.4371 / 13 = 101.110546153846... -> 101.1105461538
    ('fund', 3, 'SELL', 3.5, 102, 1);           -- realizes 0.8894538462 * 3.5 = 3.1130884617
SELECT seq, (pms.position_fold(side, quantity, price, mult) OVER (ORDER BY seq)).*
FROM trades WHERE book = 'fund' ORDER BY seq;

-- rounding: half away from zero, on opening and on increasing; a sell never rounds
SELECT (pms.position_fold(side, quantity, price, 1 ORDER BY seq)).*
FROM (VALUES (1, 'BUY', 1, 0.00000000005)) v(seq, side, quantity, price);
SELECT (pms.position_fold(side, quantity, price, 1 ORDER BY seq)).*
FROM (VALUES (1, 'SELL', 1, 0.00000000005)) v(seq, side, quantity, price);
SELECT (pms.position_fold(side, quantity, price, 1 ORDER BY seq)).*
FROM (VALUES (1, 'BUY', 1, 1), (2, 'BUY', 1, 1.0000000001)) v(seq, side, quantity, price);
SELECT (pms.position_fold(side, quantity, price, 1 ORDER BY seq)).*
FROM (VALUES (1, 'SELL', 1, 1), (2, 'SELL', 1, 1.0000000001)) v(seq, side, quantity, price);
SELECT (pms.position_fold(side, quantity, price, 1 ORDER BY seq)).*
FROM (VALUES (1, 'BUY', 3, 1), (2, 'BUY', 3, 2), (3, 'SELL', 1, 1.123456789012345)) v(seq, side, quantity, price);
SELECT (pms.position_fold(side, quantity, price, 1 ORDER BY seq)).*
FROM (VALUES (1, 'BUY', 1, 0)) v(seq, side, quantity, price);

-- groups: one state per book; no rows gives NULL
SELECT book, (pms.position_fold(side, quantity, price, mult ORDER BY seq)).*
FROM trades GROUP BY book ORDER BY book;
SELECT pms.position_fold(side, quantity, price, mult ORDER BY seq) IS NULL AS no_rows_is_null
FROM trades WHERE false;

-- the start-state variant: a checkpoint after seq 4 continued with the rest equals the whole fold
WITH checkpoint AS (
    SELECT pms.position_fold(side, quantity, price, mult ORDER BY seq) AS state
    FROM trades WHERE book = 'eq' AND seq <= 4
)
SELECT (pms.position_fold((SELECT state FROM checkpoint), side, quantity, price, mult ORDER BY seq)).*
FROM trades WHERE book = 'eq' AND seq > 4;
SELECT k AS checkpoint_after,
       (SELECT pms.position_fold((SELECT pms.position_fold(side, quantity, price, mult ORDER BY seq)
                                  FROM trades WHERE book = b.book AND seq <= k),
                                 side, quantity, price, mult ORDER BY seq)
        FROM trades WHERE book = b.book AND seq > k)
       = (SELECT pms.position_fold(side, quantity, price, mult ORDER BY seq) FROM trades WHERE book = b.book)
       AS equals_whole_fold
FROM (VALUES ('eq')) b(book), generate_series(0, 8) k ORDER BY k;
-- NULL start is flat; a start state given by hand (cost_basis is recomputed, so it may be NULL)
SELECT (pms.position_fold(NULL::pms.position_state, side, quantity, price, mult ORDER BY seq)).*
FROM trades WHERE book = 'bond';
SELECT (pms.position_fold(ROW(-10, 20, NULL, 5, 3)::pms.position_state, side, quantity, price, 1 ORDER BY seq)).*
FROM (VALUES (1, 'BUY', 4, 18)) v(seq, side, quantity, price);
-- over no rows the start variant is NULL too: continue with coalesce(fold, start)
SELECT coalesce(pms.position_fold(ROW(0, NULL, 0, 7, 2)::pms.position_state, side, quantity, price, mult ORDER BY seq),
                ROW(0, NULL, 0, 7, 2)::pms.position_state) AS unchanged
FROM trades WHERE false;

-- values beyond 128-bit fixed point fold in numeric: scaling every quantity by 10^30 scales
-- quantity, cost basis and realized P&L by 10^30 and leaves the average cost unchanged
SELECT book,
       (s).quantity = (b).quantity * 1e30 AS quantity, (s).avg_cost IS NOT DISTINCT FROM (b).avg_cost AS avg_cost,
       (s).cost_basis = (b).cost_basis * 1e30 AS cost_basis, (s).realized_pnl = (b).realized_pnl * 1e30 AS realized,
       (s).trade_count = (b).trade_count AS trade_count
FROM (SELECT book, pms.position_fold(side, quantity * 1e30, price, mult ORDER BY seq) AS s,
             pms.position_fold(side, quantity, price, mult ORDER BY seq) AS b
      FROM trades GROUP BY book) t
ORDER BY book;
SELECT seq, (pms.position_fold(side, quantity * 1e30, price, mult) OVER (ORDER BY seq)).*
FROM trades WHERE book = 'eq' ORDER BY seq;
SELECT (pms.position_fold(side, quantity, price, 1 ORDER BY seq)).*
FROM (VALUES (1, 'BUY', 1, 0.123456789012345678901234567890123456789),
             (2, 'BUY', 2, 99999999999999999999999999999.5)) v(seq, side, quantity, price);

-- bad input: 22004 for NULLs, 22023 for everything else, never a crash
CALL expect_error($$SELECT pms.position_fold(NULL, 1, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold('BUY', NULL, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold('BUY', 1, NULL, 1)$$);
CALL expect_error($$SELECT pms.position_fold('BUY', 1, 1, NULL)$$);
CALL expect_error($$SELECT pms.position_fold('buy', 1, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold('SHORT', 1, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold('BUY', 0, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold('SELL', -5, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold('BUY', 'NaN', 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold('BUY', 1, -0.01, 1)$$);
CALL expect_error($$SELECT pms.position_fold('BUY', 1, 'Infinity', 1)$$);
CALL expect_error($$SELECT pms.position_fold('BUY', 1, 1, 0)$$);
CALL expect_error($$SELECT pms.position_fold('BUY', 1, 1, -1)$$);
CALL expect_error($$SELECT pms.position_fold(side, quantity, price, mult ORDER BY seq)
                    FROM (VALUES (1, 'BUY', 1, 1, 1), (2, 'SELL', 1, 1, 0.01)) v(seq, side, quantity, price, mult)$$);
CALL expect_error($$SELECT pms.position_fold(side, quantity, price, mult ORDER BY seq)
                    FROM (VALUES (1, 'BUY', 1, 1, 1), (2, 'SELL', 1, 1, -1)) v(seq, side, quantity, price, mult)$$);
CALL expect_error($$SELECT pms.position_fold(ROW(NULL, NULL, 0, 0, 0)::pms.position_state, 'BUY', 1, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold(ROW(0, NULL, 0, NULL, 0)::pms.position_state, 'BUY', 1, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold(ROW(0, NULL, 0, 0, NULL)::pms.position_state, 'BUY', 1, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold(ROW(0, 10, 0, 0, 1)::pms.position_state, 'BUY', 1, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold(ROW(5, NULL, 0, 0, 1)::pms.position_state, 'BUY', 1, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold(ROW(5, -1, 0, 0, 1)::pms.position_state, 'BUY', 1, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold(ROW('NaN', 1, 0, 0, 1)::pms.position_state, 'BUY', 1, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold(ROW(5, 1, 0, 'NaN', 1)::pms.position_state, 'BUY', 1, 1, 1)$$);
CALL expect_error($$SELECT pms.position_fold(ROW(5, 1, 0, 0, -1)::pms.position_state, 'BUY', 1, 1, 1)$$);
