-- The search index (core/search): one row per searchable document that a module offers
-- (hooks.SearchSource), with who may find it. aud (search_aud on SQLite) holds the document's audience keys, each
-- hashed with the account ("a" + 16 hex digits, core/search.token), so that matching the
-- person's keys in the query also keeps to the account. project_id (0: none) is the search's
-- project filter; parent ("task:42") and project_id say what a refresh of a ref covers;
-- author_id is the person the document is by or about, purged from the index by erasure;
-- indexed_at is when it was last written (a reindex removes what it did not write again).
--
-- SQLite: the text lives in an FTS5 table (unicode61, diacritics removed: "eleonore" finds
-- "Éléonore"; prefix indexes of 2 and 3 characters for the last word's prefix) whose rowid is
-- search_docs.id, ranked by bm25 with the title ten times the body; the audience tokens are
-- rows of search_aud, probed for each match in the query (as FTS5 phrases they would make bm25
-- read the whole doclist of "staff" — most of the account — at every search). PostgreSQL: a tsvector of the text search
-- configuration groupcamp_search — simple + unaccent when the unaccent extension can be
-- installed, plain simple otherwise (accents then matter) — with GIN indexes on it and on aud.
CREATE TABLE search_docs (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    ref_id {{.Big}} NOT NULL,
    project_id {{.Big}} NOT NULL DEFAULT 0,
    parent TEXT NOT NULL DEFAULT '',
    author_id {{.Big}} NOT NULL DEFAULT 0,
    url TEXT NOT NULL,
    updated_at {{.Time}} NOT NULL,
    indexed_at {{.Time}} NOT NULL{{if .Postgres}},
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    aud TEXT[] NOT NULL{{end}}
)
--bun:split
CREATE UNIQUE INDEX search_docs_ref ON search_docs (account_id, kind, ref_id)
--bun:split
CREATE INDEX search_docs_parent ON search_docs (account_id, parent)
--bun:split
CREATE INDEX search_docs_project ON search_docs (account_id, project_id)
--bun:split
CREATE INDEX search_docs_author ON search_docs (account_id, author_id)
--bun:split
{{if .Postgres}}
DO $$
BEGIN
    CREATE EXTENSION IF NOT EXISTS unaccent SCHEMA public;
EXCEPTION WHEN OTHERS THEN
    RAISE NOTICE 'search: the unaccent extension is not available (%); accents will matter', SQLERRM;
END
$$
--bun:split
DO $$
DECLARE
    dict TEXT;
BEGIN
    SELECT quote_ident(n.nspname) || '.unaccent' INTO dict
      FROM pg_ts_dict d JOIN pg_namespace n ON n.oid = d.dictnamespace
     WHERE d.dictname = 'unaccent' LIMIT 1;
    CREATE TEXT SEARCH CONFIGURATION groupcamp_search (COPY = pg_catalog.simple);
    IF dict IS NOT NULL THEN
        EXECUTE 'ALTER TEXT SEARCH CONFIGURATION groupcamp_search ALTER MAPPING FOR asciiword, word, numword, asciihword, hword, numhword, hword_asciipart, hword_part, hword_numpart WITH ' || dict || ', simple';
    END IF;
END
$$
--bun:split
ALTER TABLE search_docs ADD COLUMN tsv tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('groupcamp_search', title), 'A') || setweight(to_tsvector('groupcamp_search', body), 'B')
) STORED
--bun:split
CREATE INDEX search_docs_tsv ON search_docs USING GIN (tsv)
--bun:split
CREATE INDEX search_docs_aud ON search_docs USING GIN (aud)
{{else}}
CREATE VIRTUAL TABLE search_fts USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')
--bun:split
INSERT INTO search_fts (search_fts, rank) VALUES ('rank', 'bm25(10.0, 1.0)')
--bun:split
CREATE TABLE search_aud (
    doc_id INTEGER NOT NULL REFERENCES search_docs(id) ON DELETE CASCADE,
    token TEXT NOT NULL,
    PRIMARY KEY (doc_id, token)
) WITHOUT ROWID
{{end}}
