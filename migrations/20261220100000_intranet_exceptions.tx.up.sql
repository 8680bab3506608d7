-- The intranet (modules/intranet), fourth slice. A repeating event steps in its time zone
-- (time_zone, an IANA name; '' is UTC): a weekly 09:00 meeting stays 09:00 local across
-- daylight-saving changes. Its exceptions are occurrences changed or cancelled alone: one row
-- per occurrence, keyed by the occurrence's day in the event's zone (occurs_on, 'YYYY-MM-DD';
-- a series has at most one occurrence a day; unique), either cancelled or with its own title,
-- description, place and times. They go with their event; their text is scrubbed of an
-- erased person's name like the event's.
ALTER TABLE intranet_events ADD COLUMN time_zone TEXT NOT NULL DEFAULT ''
--bun:split
CREATE TABLE intranet_event_exceptions (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    event_id {{.Big}} NOT NULL REFERENCES intranet_events(id) ON DELETE CASCADE,
    occurs_on TEXT NOT NULL,
    cancelled {{.Bool}} NOT NULL DEFAULT FALSE,
    title TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    place TEXT NOT NULL DEFAULT '',
    starts_at {{.Time}} NOT NULL,
    ends_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX intranet_event_exceptions_day ON intranet_event_exceptions (event_id, occurs_on)
--bun:split
CREATE INDEX intranet_event_exceptions_account ON intranet_event_exceptions (account_id, event_id)
