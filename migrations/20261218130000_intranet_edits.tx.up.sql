-- The intranet (modules/intranet), second slice. edited_at: when a post, topic, comment or reply
-- was last edited (null: never), shown as the "edited" mark. Reactions: one row per person,
-- emoji and thing reacted to (target_kind news, comment, topic or reply; the emoji is one of
-- the module's fixed set), toggled. Topic subscriptions: subscribed false is an explicit
-- unsubscription, kept so that replying again does not subscribe the person back. user_id is
-- personal data: erasure deletes the person's reactions and subscriptions.
ALTER TABLE intranet_news ADD COLUMN edited_at {{.Time}}
--bun:split
ALTER TABLE intranet_topics ADD COLUMN edited_at {{.Time}}
--bun:split
ALTER TABLE intranet_comments ADD COLUMN edited_at {{.Time}}
--bun:split
ALTER TABLE intranet_replies ADD COLUMN edited_at {{.Time}}
--bun:split
CREATE TABLE intranet_reactions (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    target_kind TEXT NOT NULL,
    target_id {{.Big}} NOT NULL,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    emoji TEXT NOT NULL,
    created_at {{.Time}} NOT NULL,
    PRIMARY KEY (account_id, target_kind, target_id, emoji, user_id)
)
--bun:split
CREATE INDEX intranet_reactions_user ON intranet_reactions (account_id, user_id)
--bun:split
CREATE TABLE intranet_subscriptions (
    account_id {{.Big}} NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
    topic_id {{.Big}} NOT NULL REFERENCES intranet_topics(id) ON DELETE CASCADE,
    user_id {{.Big}} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    subscribed {{.Bool}} NOT NULL,
    created_at {{.Time}} NOT NULL,
    PRIMARY KEY (topic_id, user_id)
)
--bun:split
CREATE INDEX intranet_subscriptions_user ON intranet_subscriptions (account_id, user_id)
