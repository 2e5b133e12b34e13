-- 30_households.sql: households and accounts, the first-class client aggregates.
-- Both tables are projections written only by their commands, each of which appends
-- its event (HouseholdCreated, AccountCreated) in the same transaction.  Client tables
-- lead their keys with household_id so they can be distributed by household.

CREATE TABLE pms.households (
    household_id    uuid PRIMARY KEY,
    name            text NOT NULL CHECK (name = btrim(name) AND name <> ''),
    created_at      timestamptz NOT NULL,
    created_by      text NOT NULL
);
COMMENT ON TABLE pms.households IS 'Households (client relationships): projection of HouseholdCreated events.';
COMMENT ON COLUMN pms.households.household_id IS 'Household id; the distribution key of all client data.';
COMMENT ON COLUMN pms.households.name IS 'Client name shown to advisors.';
COMMENT ON COLUMN pms.households.created_at IS 'When the household was created (knowledge time of its event).';
COMMENT ON COLUMN pms.households.created_by IS 'Actor who created the household.';
CREATE INDEX households_name_idx ON pms.households (lower(name));

CREATE TABLE pms.accounts (
    household_id    uuid NOT NULL REFERENCES pms.households (household_id),
    account_id      uuid NOT NULL,
    name            text NOT NULL CHECK (name = btrim(name) AND name <> ''),
    account_type    text NOT NULL CHECK (account_type IN ('individual', 'joint', 'trust', 'ira', 'corporate', 'other')),
    base_currency   text NOT NULL REFERENCES pms.currencies (currency_code),
    created_at      timestamptz NOT NULL,
    created_by      text NOT NULL,
    PRIMARY KEY (household_id, account_id),
    UNIQUE (household_id, name)
);
COMMENT ON TABLE pms.accounts IS 'Accounts held by households: projection of AccountCreated events.';
COMMENT ON COLUMN pms.accounts.household_id IS 'Owning household (leads the key: distribution column).';
COMMENT ON COLUMN pms.accounts.account_id IS 'Account id, unique across the firm.';
COMMENT ON COLUMN pms.accounts.name IS 'Account name, unique within its household.';
COMMENT ON COLUMN pms.accounts.account_type IS 'individual, joint, trust, ira, corporate or other.';
COMMENT ON COLUMN pms.accounts.base_currency IS 'ISO 4217 currency in which the account is valued.';
COMMENT ON COLUMN pms.accounts.created_at IS 'When the account was created (knowledge time of its event).';
COMMENT ON COLUMN pms.accounts.created_by IS 'Actor who created the account.';
CREATE UNIQUE INDEX accounts_account_id_idx ON pms.accounts (account_id);

SELECT pg_catalog.pg_extension_config_dump('pms.households', '');
SELECT pg_catalog.pg_extension_config_dump('pms.accounts', '');

-- Raises 22004 when a required argument is NULL (commands are not STRICT: a NULL must not be a silent no-op).
CREATE FUNCTION pms.require_argument(value anyelement, argument text, command text)
RETURNS void
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF value IS NULL THEN
        RAISE EXCEPTION '% must not be null', argument
            USING ERRCODE = 'null_value_not_allowed',
                  DETAIL = format('%s requires a value for %s.', command, argument),
                  HINT = format('Pass %s explicitly.', argument);
    END IF;
END
$$;
COMMENT ON FUNCTION pms.require_argument(anyelement, text, text) IS
    'Internal: raises null_value_not_allowed (22004) when a required command argument is NULL.';

-- Raises 22004 for a NULL household id and 23503 for one that does not exist.
CREATE FUNCTION pms.require_household(household_id uuid, command text)
RETURNS void
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    PERFORM pms.require_argument(require_household.household_id, 'household_id', command);
    IF NOT EXISTS (SELECT 1 FROM pms.households h WHERE h.household_id = require_household.household_id) THEN
        RAISE EXCEPTION 'household % does not exist', require_household.household_id
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = format('%s needs an existing household.', command),
                  HINT = 'Create the household with pms.create_household, or correct household_id.';
    END IF;
END
$$;
COMMENT ON FUNCTION pms.require_household(uuid, text) IS
    'Internal: raises null_value_not_allowed (22004) for a NULL household id and foreign_key_violation (23503) for an unknown one.';

-- Trims a name and rejects blank or over-long ones (22023).
CREATE FUNCTION pms.clean_name(name text, what text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF btrim(clean_name.name) = '' THEN
        RAISE EXCEPTION '% must not be blank', what
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('The %s given was empty or only spaces.', what),
                  HINT = format('Give the %s as it should appear to advisors.', what);
    END IF;
    IF length(btrim(clean_name.name)) > 200 THEN
        RAISE EXCEPTION '% is too long', what
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('The %s has %s characters; the limit is 200.', what, length(btrim(clean_name.name))),
                  HINT = 'Shorten the name.';
    END IF;
    RETURN btrim(clean_name.name);
END
$$;
COMMENT ON FUNCTION pms.clean_name(text, text) IS
    'Internal: trims a name; raises invalid_parameter_value (22023) when it is blank or longer than 200 characters.';

-- Normalizes a currency code to upper case and checks it against ISO 4217 (22023).
CREATE FUNCTION pms.check_currency(currency text, what text DEFAULT 'currency')
RETURNS text
LANGUAGE plpgsql STABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    code text := upper(btrim(check_currency.currency));
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pms.currencies c WHERE c.currency_code = code) THEN
        RAISE EXCEPTION '"%" is not an ISO 4217 currency code', check_currency.currency
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = format('The %s must be one of the codes in pms.currencies.', what),
                  HINT = 'Use a three-letter code such as USD, EUR or GBP.';
    END IF;
    RETURN code;
END
$$;
COMMENT ON FUNCTION pms.check_currency(text, text) IS
    'Returns the upper-cased ISO 4217 code; raises invalid_parameter_value (22023) if it is not one.';

-- Rejects a blank actor (22023); actors are recorded on every event.
CREATE FUNCTION pms.check_actor(actor text)
RETURNS text
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE
SET search_path = pg_catalog, pg_temp
AS $$
BEGIN
    IF actor IS NULL OR btrim(actor) = '' THEN
        RAISE EXCEPTION 'actor must not be blank'
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Every event records who asked for it.',
                  HINT = 'Omit actor to record the current database user, or pass the advisor''s name.';
    END IF;
    RETURN btrim(actor);
END
$$;
COMMENT ON FUNCTION pms.check_actor(text) IS
    'Internal: trims the actor; raises invalid_parameter_value (22023) when it is NULL or blank.';

-- Command: creates a household and appends HouseholdCreated.
CREATE FUNCTION pms.create_household(
    name text,
    actor text DEFAULT current_user,
    household_id uuid DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    new_id      uuid := coalesce(create_household.household_id, gen_random_uuid());
    clean       text;
    who         text := pms.check_actor(create_household.actor);
BEGIN
    PERFORM pms.require_argument(create_household.name, 'name', 'pms.create_household');
    clean := pms.clean_name(create_household.name, 'household name');
    BEGIN
        INSERT INTO pms.households (household_id, name, created_at, created_by)
        VALUES (new_id, clean, transaction_timestamp(), who);
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION 'household % already exists', new_id
            USING ERRCODE = 'unique_violation',
                  DETAIL = 'A household id can be used only once.',
                  HINT = 'Omit household_id to have one generated, or read the existing household.';
    END;
    PERFORM pms.append_event(new_id, 'household', new_id, 'HouseholdCreated',
                             jsonb_build_object('household_id', new_id, 'name', clean), who);
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION pms.create_household(text, text, uuid) IS
    'Creates a household and appends HouseholdCreated; returns its id (household_id: optional client-chosen id).';

-- Command: opens an account in a household and appends AccountCreated.
CREATE FUNCTION pms.create_account(
    household_id uuid,
    name text,
    account_type text DEFAULT 'individual',
    base_currency text DEFAULT 'USD',
    actor text DEFAULT current_user,
    account_id uuid DEFAULT NULL
) RETURNS uuid
LANGUAGE plpgsql VOLATILE PARALLEL UNSAFE SECURITY DEFINER
SET search_path = pg_catalog, pg_temp
AS $$
DECLARE
    new_id      uuid := coalesce(create_account.account_id, gen_random_uuid());
    clean       text;
    kind        text := lower(btrim(create_account.account_type));
    ccy         text;
    who         text := pms.check_actor(create_account.actor);
BEGIN
    PERFORM pms.require_argument(create_account.household_id, 'household_id', 'pms.create_account');
    PERFORM pms.require_argument(create_account.name, 'name', 'pms.create_account');
    PERFORM pms.require_argument(create_account.account_type, 'account_type', 'pms.create_account');
    PERFORM pms.require_argument(create_account.base_currency, 'base_currency', 'pms.create_account');
    clean := pms.clean_name(create_account.name, 'account name');
    IF kind NOT IN ('individual', 'joint', 'trust', 'ira', 'corporate', 'other') THEN
        RAISE EXCEPTION '"%" is not an account type', create_account.account_type
            USING ERRCODE = 'invalid_parameter_value',
                  DETAIL = 'Account types are individual, joint, trust, ira, corporate and other.',
                  HINT = 'Use other for a type not in the list.';
    END IF;
    ccy := pms.check_currency(create_account.base_currency, 'base currency');
    -- Lock the household row so it cannot be missing by the time we insert.
    PERFORM 1 FROM pms.households h WHERE h.household_id = create_account.household_id FOR KEY SHARE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'household % does not exist', create_account.household_id
            USING ERRCODE = 'foreign_key_violation',
                  DETAIL = 'An account can only be opened in an existing household.',
                  HINT = 'Create the household first with pms.create_household.';
    END IF;
    IF EXISTS (SELECT 1 FROM pms.accounts a WHERE a.account_id = new_id) THEN
        RAISE EXCEPTION 'account % already exists', new_id
            USING ERRCODE = 'unique_violation',
                  DETAIL = 'An account id can be used only once.',
                  HINT = 'Omit account_id to have one generated.';
    END IF;
    BEGIN
        INSERT INTO pms.accounts (household_id, account_id, name, account_type, base_currency,
                                  created_at, created_by)
        VALUES (create_account.household_id, new_id, clean, kind, ccy, transaction_timestamp(), who);
    EXCEPTION WHEN unique_violation THEN
        RAISE EXCEPTION 'household % already has an account named "%"', create_account.household_id, clean
            USING ERRCODE = 'unique_violation',
                  DETAIL = 'Account names are unique within a household (or the account id was taken concurrently).',
                  HINT = 'Choose another name.';
    END;
    PERFORM pms.append_event(create_account.household_id, 'account', new_id, 'AccountCreated',
                             jsonb_build_object('account_id', new_id,
                                                'household_id', create_account.household_id,
                                                'name', clean, 'account_type', kind,
                                                'base_currency', ccy),
                             who);
    RETURN new_id;
END
$$;
COMMENT ON FUNCTION pms.create_account(uuid, text, text, text, text, uuid) IS
    'Opens an account in a household and appends AccountCreated; returns its id (account_id: optional client-chosen id).';
