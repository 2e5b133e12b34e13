-- scripts/demo_report.sql: what an advisor looks at first, printed by scripts/demo.sh.
\pset footer off
\echo
\echo '== Households'
SELECT name AS household, account_count AS accounts, created_by
FROM pms.household_list ORDER BY name;

\echo '== Account detail: Whitman Joint Brokerage'
\x on
SELECT name AS account, household_name AS household, account_type, base_currency, created_at::date AS opened
FROM pms.account_list WHERE account_id = '20000000-0000-4000-8000-000000000001';
\x off

\echo '== Positions today'
SELECT coalesce(cusip, '') AS cusip, description, quantity, round(avg_cost, 4) AS avg_cost,
       round(realized_pnl, 2) AS realized_pnl, last_trade_date
FROM pms.account_positions WHERE account_id = '20000000-0000-4000-8000-000000000001'
ORDER BY description;
\echo '== Cash today'
SELECT currency, balance FROM pms.cash_balances('20000000-0000-4000-8000-000000000001');

\echo '== The same account as of 2025-06-30 (SET pms.as_of = ''2025-06-30'')'
SET pms.as_of = '2025-06-30';
SELECT coalesce(cusip, '') AS cusip, description, quantity, round(avg_cost, 4) AS avg_cost,
       round(realized_pnl, 2) AS realized_pnl, last_trade_date
FROM pms.account_positions WHERE account_id = '20000000-0000-4000-8000-000000000001'
ORDER BY description;
SELECT currency, balance FROM pms.account_cash WHERE account_id = '20000000-0000-4000-8000-000000000001';
RESET pms.as_of;
