-- The intranet module (modules/intranet): spaces (the whole company when team_id is null, else
-- the members of that team), and in each space news posts (with who has read them and their
-- comments), discussion topics with their replies, and wiki pages with every revision kept.
-- author_id/created_by/updated_by/user_id are personal data: erasure detaches the person from
-- what the account keeps (news, topics, wiki pages, revisions) and deletes what was only theirs
-- (read receipts), and, unless the account keeps text, the comments and replies they wrote.
-- A team space goes with its team (it must never become the whole company's). news.indexed says
-- whether the search index has a scheduled post yet (the minute job offers it once published).
CREATE TABLE intranet_spaces (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    team_id {{.Big}} REFERENCES teams(id) ON DELETE CASCADE,
    created_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX intranet_spaces_account ON intranet_spaces (account_id, name)
--bun:split
CREATE TABLE intranet_news (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    space_id {{.Big}} NOT NULL REFERENCES intranet_spaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    pinned {{.Bool}} NOT NULL DEFAULT FALSE,
    indexed {{.Bool}} NOT NULL DEFAULT FALSE,
    publish_at {{.Time}} NOT NULL,
    author_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    comments INTEGER NOT NULL DEFAULT 0,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX intranet_news_feed ON intranet_news (account_id, id)
--bun:split
CREATE INDEX intranet_news_space ON intranet_news (account_id, space_id, publish_at, id)
--bun:split
CREATE INDEX intranet_news_pinned ON intranet_news (account_id, pinned, id)
--bun:split
CREATE INDEX intranet_news_due ON intranet_news (indexed, publish_at)
--bun:split
CREATE TABLE intranet_news_reads (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    news_id {{.Big}} NOT NULL REFERENCES intranet_news(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    read_at {{.Time}} NOT NULL,
    PRIMARY KEY (news_id, user_id)
)
--bun:split
CREATE INDEX intranet_news_reads_user ON intranet_news_reads (account_id, user_id, news_id)
--bun:split
CREATE INDEX intranet_news_reads_news ON intranet_news_reads (account_id, news_id, user_id)
--bun:split
CREATE TABLE intranet_comments (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    news_id {{.Big}} NOT NULL REFERENCES intranet_news(id) ON DELETE CASCADE,
    author_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX intranet_comments_news ON intranet_comments (account_id, news_id, id)
--bun:split
CREATE TABLE intranet_topics (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    space_id {{.Big}} NOT NULL REFERENCES intranet_spaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    replies INTEGER NOT NULL DEFAULT 0,
    last_activity_at {{.Time}} NOT NULL,
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX intranet_topics_space ON intranet_topics (account_id, space_id, id)
--bun:split
CREATE INDEX intranet_topics_feed ON intranet_topics (account_id, id)
--bun:split
CREATE TABLE intranet_replies (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    topic_id {{.Big}} NOT NULL REFERENCES intranet_topics(id) ON DELETE CASCADE,
    author_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    body TEXT NOT NULL,
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX intranet_replies_topic ON intranet_replies (account_id, topic_id, id)
--bun:split
CREATE TABLE intranet_wiki_pages (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    space_id {{.Big}} NOT NULL REFERENCES intranet_spaces(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    revision INTEGER NOT NULL,
    updated_by {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    created_at {{.Time}} NOT NULL,
    updated_at {{.Time}} NOT NULL
)
--bun:split
CREATE INDEX intranet_wiki_pages_space ON intranet_wiki_pages (account_id, space_id, title)
--bun:split
CREATE TABLE intranet_wiki_revisions (
    id {{.PK}},
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    page_id {{.Big}} NOT NULL REFERENCES intranet_wiki_pages(id) ON DELETE CASCADE,
    revision INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    author_id {{.Big}} REFERENCES users(id) ON DELETE SET NULL,
    restored_from INTEGER NOT NULL DEFAULT 0,
    created_at {{.Time}} NOT NULL
)
--bun:split
CREATE UNIQUE INDEX intranet_wiki_revisions_page ON intranet_wiki_revisions (account_id, page_id, revision)
