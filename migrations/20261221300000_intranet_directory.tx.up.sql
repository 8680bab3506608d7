-- The intranet (modules/intranet): the directory's profiles. What a person's card says beyond
-- core identity's name, email, company and teams — job title, phone, location, a time zone
-- for the directory ('' shows the person's own setting), a manager (a colleague of the same
-- account; cycles are refused by the service), and, opt-in, a birthday (month and day; the
-- year, 0 when not given, is never shown to others) and a start date ('YYYY-MM-DD', '' when
-- unknown) for the "this week" block. One row per account and person, made on the first edit.
-- Skills are short normalised tags, one row each (the directory filters on them); the photo
-- is a square JPEG thumbnail made server-side, kept apart so that lists never read its bytes
-- (has_photo says there is one; photo_version changes with each photo, for caches).
CREATE TABLE directory_profiles (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    title TEXT NOT NULL DEFAULT '',
    phone TEXT NOT NULL DEFAULT '',
    location TEXT NOT NULL DEFAULT '',
    time_zone TEXT NOT NULL DEFAULT '',
    manager_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    birth_month INTEGER NOT NULL DEFAULT 0,
    birth_day INTEGER NOT NULL DEFAULT 0,
    birth_year INTEGER NOT NULL DEFAULT 0,
    show_birthday {{.Bool}} NOT NULL DEFAULT FALSE,
    started_on TEXT NOT NULL DEFAULT '',
    show_anniversary {{.Bool}} NOT NULL DEFAULT FALSE,
    has_photo {{.Bool}} NOT NULL DEFAULT FALSE,
    photo_version INTEGER NOT NULL DEFAULT 0,
    updated_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, user_id)
)
--bun:split
CREATE INDEX directory_profiles_manager ON directory_profiles (account_id, manager_id)
--bun:split
CREATE TABLE directory_skills (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    skill TEXT NOT NULL,
    PRIMARY KEY (account_id, user_id, skill)
)
--bun:split
CREATE INDEX directory_skills_skill ON directory_skills (account_id, skill)
--bun:split
CREATE TABLE directory_photos (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    image {{if .Postgres}}BYTEA{{else}}BLOB{{end}} NOT NULL,
    updated_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, user_id)
)
