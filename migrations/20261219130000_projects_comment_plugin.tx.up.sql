-- A comment a partner plugin posts through the host API (plugins/host, PostComment) names the
-- plugin: it is shown as the comment's author (with a "plugin" badge), not the person the call
-- was for. author_id stays that person — whose rights the comment was written with, what
-- erasure and notifications go by — but they cannot edit it as theirs. NULL: a person wrote it.
ALTER TABLE comments ADD COLUMN plugin TEXT
