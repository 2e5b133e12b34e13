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
