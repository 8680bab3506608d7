-- Intranet calendars (modules/intranet, events.go): a space's events — the whole company's or a
-- team's — with their attendees (people of the space). starts_at/ends_at are instants, or, when
-- all_day, civil days at UTC midnight (ends_at inclusive). source_uid is the UID of the .ics
-- entry an event was imported from ('' when typed in). created_by and the attendees are
-- personal data: erasure detaches the author and removes the person from the attendees.
CREATE TABLE intranet_events (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    space_id {{.Big}} NOT NULL REFERENCES intranet_spaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    starts_at {{.Time}} NOT NULL,
    ends_at {{.Time}} NOT NULL,
    all_day {{.Bool}} NOT NULL DEFAULT FALSE,
    source_uid TEXT NOT NULL DEFAULT '',
    created_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX intranet_events_range ON intranet_events (account_id, starts_at, id)
--bun:split
CREATE INDEX intranet_events_space ON intranet_events (account_id, space_id, starts_at)
--bun:split
CREATE TABLE intranet_event_attendees (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    event_id {{.Big}} NOT NULL REFERENCES intranet_events(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    PRIMARY KEY (event_id, user_id)
)
--bun:split
CREATE INDEX intranet_event_attendees_user ON intranet_event_attendees (account_id, user_id, event_id)
