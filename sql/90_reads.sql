-- 90_reads.sql: read views for BI tools and application screens.
-- Later releases add valuation columns (market value, duration, last activity).

CREATE VIEW pms.household_list AS
SELECT h.household_id,
       h.name,
       count(a.account_id)::integer AS account_count,
       h.created_at,
       h.created_by
FROM pms.households h
LEFT JOIN pms.accounts a ON a.household_id = h.household_id
GROUP BY h.household_id;
COMMENT ON VIEW pms.household_list IS 'Household list screen: one row per household with its account count.';
COMMENT ON COLUMN pms.household_list.household_id IS 'Household id.';
COMMENT ON COLUMN pms.household_list.name IS 'Client name.';
COMMENT ON COLUMN pms.household_list.account_count IS 'Number of accounts in the household.';
COMMENT ON COLUMN pms.household_list.created_at IS 'When the household was created.';
COMMENT ON COLUMN pms.household_list.created_by IS 'Actor who created it.';

CREATE VIEW pms.account_list AS
SELECT a.account_id,
       a.name,
       a.household_id,
       h.name AS household_name,
       a.account_type,
       a.base_currency,
       a.created_at,
       a.created_by
FROM pms.accounts a
JOIN pms.households h ON h.household_id = a.household_id;
COMMENT ON VIEW pms.account_list IS 'Account list and account detail screens: one row per account with its household.';
COMMENT ON COLUMN pms.account_list.account_id IS 'Account id.';
COMMENT ON COLUMN pms.account_list.name IS 'Account name.';
COMMENT ON COLUMN pms.account_list.household_id IS 'Owning household id.';
COMMENT ON COLUMN pms.account_list.household_name IS 'Owning household name.';
COMMENT ON COLUMN pms.account_list.account_type IS 'individual, joint, trust, ira, corporate or other.';
COMMENT ON COLUMN pms.account_list.base_currency IS 'Currency the account is valued in.';
COMMENT ON COLUMN pms.account_list.created_at IS 'When the account was opened.';
COMMENT ON COLUMN pms.account_list.created_by IS 'Actor who opened it.';
