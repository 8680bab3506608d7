-- Recurring tasks: a side table, so that the tasks table and the queries over it stay as they
-- are. spawned_at is set in the transaction that creates the next occurrence (on completion or
-- when the date passes): the conditional UPDATE that sets it is the claim that makes the next
-- occurrence exist exactly once, whichever path or instance gets there first.
CREATE TABLE task_recurrences (
    account_id {{.Big}} NOT NULL,
    task_id {{.Big}} NOT NULL,
    every TEXT NOT NULL,
    step {{.Big}} NOT NULL DEFAULT 1,
    spawned_at {{.Time}},
    next_task_id {{.Big}},
    created_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, task_id),
    FOREIGN KEY (account_id, task_id) REFERENCES tasks (account_id, id) ON DELETE CASCADE
);
--bun:split
CREATE INDEX task_recurrences_pending ON task_recurrences (account_id, spawned_at);
--bun:split
-- One row per reminder sent: the primary key is what makes a reminder go out once, even when
-- two instances run the job at the same time or a run is retried.
CREATE TABLE task_reminders (
    account_id {{.Big}} NOT NULL,
    task_id {{.Big}} NOT NULL,
    kind TEXT NOT NULL,
    day DATE NOT NULL,
    sent_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, task_id, kind, day),
    FOREIGN KEY (account_id, task_id) REFERENCES tasks (account_id, id) ON DELETE CASCADE
);
