-- Who follows a task beyond those who follow it by default (its author and its assignees), and
-- who of those stopped: following is true for a person who chose to follow (or commented),
-- false for one who unfollowed. A task's followers hear of its comments.
CREATE TABLE task_followers (
    account_id {{.Big}} NOT NULL,
    task_id {{.Big}} NOT NULL,
    user_id {{.Big}} NOT NULL,
    following {{.Bool}} NOT NULL,
    created_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, task_id, user_id),
    FOREIGN KEY (account_id, task_id) REFERENCES tasks (account_id, id) ON DELETE CASCADE,
    FOREIGN KEY (account_id, user_id) REFERENCES memberships (account_id, user_id) ON DELETE CASCADE
);
--bun:split
-- A person's rows (their export and erasure).
CREATE INDEX task_followers_user ON task_followers (account_id, user_id);
