-- A round of a deliverable holds several files (1 to 10), in order. extranet_rounds.file_id
-- and file_name stay: they are the round's first file, for the API's old single-file field.
-- A file deleted for good leaves its name in the round's history (file_id NULL).
CREATE TABLE extranet_round_files (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    round_id {{.Big}} NOT NULL REFERENCES extranet_rounds(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    file_id {{.Big}} REFERENCES files_files(id) ON DELETE SET NULL,
    file_name TEXT NOT NULL DEFAULT ''
)
--bun:split
CREATE UNIQUE INDEX extranet_round_files_pos ON extranet_round_files (account_id, round_id, position)
--bun:split
CREATE INDEX extranet_round_files_file ON extranet_round_files (account_id, file_id)
--bun:split
INSERT INTO extranet_round_files (account_id, round_id, position, file_id, file_name)
SELECT r.account_id, r.id, 1, r.file_id, r.file_name FROM extranet_rounds AS r WHERE r.file_id IS NOT NULL
