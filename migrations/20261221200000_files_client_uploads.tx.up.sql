-- Clients may upload into a folder shared with their company when the person sharing it chose
-- so (files_folders.clients_upload; default no). Only meaningful for a folder of visibility
-- "clients": an internal folder keeps it false.
ALTER TABLE files_folders ADD COLUMN clients_upload {{.Bool}} NOT NULL DEFAULT FALSE
