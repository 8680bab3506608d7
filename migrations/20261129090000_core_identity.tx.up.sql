CREATE TABLE accounts (
    id {{.PK}},
    slug TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    country TEXT NOT NULL,
    vat_number TEXT NOT NULL DEFAULT '',
    currency TEXT NOT NULL,
    time_unit TEXT NOT NULL DEFAULT 'hours',
    locale TEXT NOT NULL DEFAULT 'en',
    state TEXT NOT NULL DEFAULT 'trial',
    partner_user_id {{.Big}},
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE TABLE users (
    id {{.PK}},
    email TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    password_hash TEXT NOT NULL DEFAULT '',
    locale TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    platform_role TEXT NOT NULL DEFAULT '',
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
);
--bun:split
CREATE TABLE companies (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    created_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX companies_account_name ON companies (account_id, name);
--bun:split
CREATE TABLE memberships (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id {{.Big}} NOT NULL REFERENCES companies(id),
    role TEXT NOT NULL,
    status TEXT NOT NULL,
    deactivated_at {{.Time}},
    created_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX memberships_account_user ON memberships (account_id, user_id);
--bun:split
CREATE INDEX memberships_user ON memberships (user_id);
--bun:split
CREATE TABLE teams (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    management {{.Bool}} NOT NULL DEFAULT FALSE,
    created_at {{.Time}} NOT NULL
);
--bun:split
CREATE UNIQUE INDEX teams_account_name ON teams (account_id, name);
--bun:split
CREATE TABLE team_members (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    team_id {{.Big}} NOT NULL REFERENCES teams(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    created_at {{.Time}} NOT NULL,
    PRIMARY KEY (team_id, user_id)
);
--bun:split
CREATE INDEX team_members_account_user ON team_members (account_id, user_id);
--bun:split
CREATE TABLE invitations (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    invited_by {{.Big}} NOT NULL REFERENCES users(id),
    token_hash TEXT NOT NULL UNIQUE,
    expires_at {{.Time}} NOT NULL,
    accepted_at {{.Time}},
    created_at {{.Time}} NOT NULL
);
--bun:split
CREATE INDEX invitations_account ON invitations (account_id, user_id);
