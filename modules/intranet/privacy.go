package intranet

import (
	"bytes"
	"context"
	"errors"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the module's part of a person's GDPR rights (hooks.PersonalData): the news
// posts, discussions, replies, comments and wiki revisions they wrote, the spaces they created,
// which posts they read and when, the events they added or attend, their reactions and the
// discussions they follow, and their directory profile (skills and photo included).
//
// Erase deletes what is only theirs — their directory profile, skills and photo (and others'
// profiles stop naming them as manager), their read receipts, their places among attendees, their
// reactions and topic subscriptions — and detaches them from what the
// account keeps: spaces, posts, topics, pages and revisions lose their author. Their comments
// and replies go, unless the account keeps text (then they stay, without author). Their name
// and email then leave every text of the module (an @mention of them included).
type personalData struct{ svc *Service }

// Category keys (locales).
const (
	catWritten = "intranet.data.written"
	catReads   = "intranet.data.reads"
	catEvents  = "intranet.data.events"
	catFollows = "intranet.data.follows"
	catProfile = "intranet.data.profile"
)

// Tables are the module's tables that name a person.
func (personalData) Tables() []string {
	return []string{"intranet_spaces", "intranet_news", "intranet_news_reads", "intranet_comments", "intranet_topics", "intranet_replies",
		"intranet_wiki_pages", "intranet_wiki_revisions", "intranet_events", "intranet_event_attendees", "intranet_reactions", "intranet_subscriptions",
		"directory_profiles", "directory_skills", "directory_photos"}
}

// written counts, per table, the rows by the person.
var written = []struct{ table, alias, col string }{
	{"intranet_news", "n", "author_id"},
	{"intranet_comments", "c", "author_id"},
	{"intranet_topics", "t", "author_id"},
	{"intranet_replies", "r", "author_id"},
	{"intranet_wiki_revisions", "v", "author_id"},
}

// Describe counts what the person wrote and the posts they read.
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	var total int64 = -1
	if s.UserID != 0 {
		total = 0
		tn := p.svc.tenant(s.AccountID)
		for _, w := range written {
			n, err := tn.SelectFrom(w.table, w.alias).Where(w.alias+"."+w.col+" = ?", s.UserID).Count(ctx)
			if err != nil {
				return nil, err
			}
			total += int64(n)
		}
	}
	reads, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("intranet_news_reads", "nr").Where("nr.user_id = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	events, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("intranet_events", "e").
			Where("e.created_by = ? OR e.id IN (SELECT ea.event_id FROM intranet_event_attendees AS ea WHERE ea.user_id = ?)", s.UserID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	follows, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("intranet_reactions", "x").Where("x.user_id = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	subs, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("intranet_subscriptions", "su").Where("su.user_id = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	if follows >= 0 && subs >= 0 {
		follows += subs
	}
	profile, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("directory_profiles", "dp").Where("dp.user_id = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{
		personal.Category("intranet", catWritten, total, personal.FieldText, personal.FieldTimes),
		personal.Category("intranet", catReads, reads, personal.FieldTimes),
		personal.Category("intranet", catEvents, events, personal.FieldText, personal.FieldTimes),
		personal.Category("intranet", catFollows, follows, personal.FieldTimes),
		personal.Category("intranet", catProfile, profile, personal.FieldText, personal.FieldSettings, personal.FieldTimes),
	}, nil
}

// exportedText is one text the person wrote.
type exportedText struct {
	ID        int64  `json:"id" bun:"id"`
	Title     string `json:"title,omitempty" bun:"title"`
	Body      string `json:"body" bun:"body"`
	CreatedAt any    `json:"created_at" bun:"created_at"`
}

// Export writes intranet.json: what they wrote, by kind, and the posts they read.
func (p personalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	tn := p.svc.tenant(s.AccountID)
	res := map[string]any{}
	for _, w := range written {
		cols := w.alias + ".id, " + w.alias + ".body, " + w.alias + ".created_at"
		switch w.table {
		case "intranet_news", "intranet_topics", "intranet_wiki_revisions":
			cols += ", " + w.alias + ".title"
		}
		rows := []exportedText{}
		if err := tn.SelectFrom(w.table, w.alias).ColumnExpr(cols).Where(w.alias+"."+w.col+" = ?", s.UserID).OrderExpr(w.alias+".id").Scan(ctx, &rows); err != nil {
			return err
		}
		res[w.table] = rows
	}
	var reads []struct {
		NewsID int64 `json:"news_id" bun:"news_id"`
		ReadAt any   `json:"read_at" bun:"read_at"`
	}
	if err := tn.SelectFrom("intranet_news_reads", "nr").ColumnExpr("nr.news_id, nr.read_at").Where("nr.user_id = ?", s.UserID).OrderExpr("nr.news_id").Scan(ctx, &reads); err != nil {
		return err
	}
	res["intranet_news_reads"] = reads
	// The events they added, and those they are invited to.
	var events []struct {
		ID       int64  `json:"id" bun:"id"`
		Title    string `json:"title" bun:"title"`
		Place    string `json:"place" bun:"place"`
		StartsAt any    `json:"starts_at" bun:"starts_at"`
		EndsAt   any    `json:"ends_at" bun:"ends_at"`
		Created  bool   `json:"created" bun:"created"`
		Attends  bool   `json:"attends" bun:"attends"`
	}
	if err := tn.SelectFrom("intranet_events", "e").ColumnExpr("e.id, e.title, e.place, e.starts_at, e.ends_at").
		ColumnExpr("(CASE WHEN e.created_by = ? THEN 1 ELSE 0 END) = 1 AS created", s.UserID).
		ColumnExpr("EXISTS (SELECT 1 FROM intranet_event_attendees AS ea WHERE ea.event_id = e.id AND ea.user_id = ?) AS attends", s.UserID).
		Where("e.created_by = ? OR e.id IN (SELECT ea2.event_id FROM intranet_event_attendees AS ea2 WHERE ea2.user_id = ?)", s.UserID, s.UserID).
		OrderExpr("e.id").Scan(ctx, &events); err != nil {
		return err
	}
	res["intranet_events"] = events
	// Their reactions, and the discussions they follow or stopped following.
	var reactions []struct {
		TargetKind string `json:"target_kind" bun:"target_kind"`
		TargetID   int64  `json:"target_id" bun:"target_id"`
		Emoji      string `json:"emoji" bun:"emoji"`
		CreatedAt  any    `json:"created_at" bun:"created_at"`
	}
	if err := tn.SelectFrom("intranet_reactions", "x").ColumnExpr("x.target_kind, x.target_id, x.emoji, x.created_at").Where("x.user_id = ?", s.UserID).
		OrderExpr("x.created_at, x.target_kind, x.target_id").Scan(ctx, &reactions); err != nil {
		return err
	}
	res["intranet_reactions"] = reactions
	var subs []struct {
		TopicID    int64 `json:"topic_id" bun:"topic_id"`
		Subscribed bool  `json:"subscribed" bun:"subscribed"`
		CreatedAt  any   `json:"created_at" bun:"created_at"`
	}
	if err := tn.SelectFrom("intranet_subscriptions", "su").ColumnExpr("su.topic_id, su.subscribed, su.created_at").Where("su.user_id = ?", s.UserID).
		OrderExpr("su.topic_id").Scan(ctx, &subs); err != nil {
		return err
	}
	res["intranet_subscriptions"] = subs
	if err := p.exportProfile(ctx, s, res, out); err != nil {
		return err
	}
	return out.JSON("intranet.json", res)
}

// Erase deletes or detaches the person's data, in tx (idempotent).
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, e hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("intranet: erase: no account or no person")
	}
	tn := db.For(tx, s.AccountID)
	stmts := []string{
		// Their directory profile, skills and photo go; others no longer name them as manager.
		"DELETE FROM directory_profiles WHERE account_id = ? AND user_id = ?",
		"DELETE FROM directory_skills WHERE account_id = ? AND user_id = ?",
		"DELETE FROM directory_photos WHERE account_id = ? AND user_id = ?",
		"UPDATE directory_profiles SET manager_id = NULL WHERE account_id = ? AND manager_id = ?",
		"DELETE FROM intranet_news_reads WHERE account_id = ? AND user_id = ?",
		"DELETE FROM intranet_reactions WHERE account_id = ? AND user_id = ?",
		"DELETE FROM intranet_subscriptions WHERE account_id = ? AND user_id = ?",
		"DELETE FROM intranet_event_attendees WHERE account_id = ? AND user_id = ?",
		"UPDATE intranet_events SET created_by = NULL WHERE account_id = ? AND created_by = ?",
		"UPDATE intranet_spaces SET created_by = NULL WHERE account_id = ? AND created_by = ?",
		"UPDATE intranet_news SET author_id = NULL WHERE account_id = ? AND author_id = ?",
		"UPDATE intranet_topics SET author_id = NULL WHERE account_id = ? AND author_id = ?",
		"UPDATE intranet_wiki_pages SET updated_by = NULL WHERE account_id = ? AND updated_by = ?",
		"UPDATE intranet_wiki_revisions SET author_id = NULL WHERE account_id = ? AND author_id = ?",
	}
	if e.KeepText {
		stmts = append(stmts, "UPDATE intranet_comments SET author_id = NULL WHERE account_id = ? AND author_id = ?",
			"UPDATE intranet_replies SET author_id = NULL WHERE account_id = ? AND author_id = ?")
	} else {
		// The counters follow the rows they count, before those go.
		counters := []string{
			"UPDATE intranet_news SET comments = comments - (SELECT COUNT(*) FROM intranet_comments AS c WHERE c.news_id = intranet_news.id AND c.author_id = ?) " +
				"WHERE account_id = ? AND id IN (SELECT c2.news_id FROM intranet_comments AS c2 WHERE c2.author_id = ?)",
			"UPDATE intranet_topics SET replies = replies - (SELECT COUNT(*) FROM intranet_replies AS r WHERE r.topic_id = intranet_topics.id AND r.author_id = ?) " +
				"WHERE account_id = ? AND id IN (SELECT r2.topic_id FROM intranet_replies AS r2 WHERE r2.author_id = ?)",
		}
		for _, q := range counters {
			if _, err := tx.ExecContext(ctx, q, s.UserID, s.AccountID, s.UserID); err != nil {
				return err
			}
		}
		// Others' reactions go with the comments and replies they were on.
		stmts = append(stmts, "DELETE FROM intranet_reactions WHERE account_id = ? AND target_kind = 'comment' AND target_id IN (SELECT c3.id FROM intranet_comments AS c3 WHERE c3.author_id = ?)",
			"DELETE FROM intranet_reactions WHERE account_id = ? AND target_kind = 'reply' AND target_id IN (SELECT r3.id FROM intranet_replies AS r3 WHERE r3.author_id = ?)",
			"DELETE FROM intranet_comments WHERE account_id = ? AND author_id = ?",
			"DELETE FROM intranet_replies WHERE account_id = ? AND author_id = ?")
	}
	for _, q := range stmts {
		if _, err := tn.Exec(ctx, q, s.UserID); err != nil {
			return err
		}
	}
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	for _, t := range []struct {
		table string
		cols  []string
	}{
		{"intranet_spaces", []string{"name", "description"}},
		{"intranet_news", []string{"title", "body"}},
		{"intranet_comments", []string{"body"}},
		{"intranet_topics", []string{"title", "body"}},
		{"intranet_replies", []string{"body"}},
		{"intranet_wiki_pages", []string{"title", "body"}},
		{"intranet_wiki_revisions", []string{"title", "body"}},
		{"intranet_events", []string{"title", "description", "place"}},
		{"intranet_event_exceptions", []string{"title", "description", "place"}},
	} {
		if _, err := personal.ScrubTenant(ctx, tn, t.table, n, t.cols...); err != nil {
			return err
		}
	}
	return nil
}

// exportProfile adds the person's directory profile (with the birthday's year, theirs) and
// skills to the export, and their photo as intranet-photo.jpg.
func (p personalData) exportProfile(ctx context.Context, s hooks.Subject, res map[string]any, out hooks.Exporter) error {
	tn := p.svc.tenant(s.AccountID)
	var prof []Profile
	if err := tn.Select(&prof).Where("dp.user_id = ?", s.UserID).Scan(ctx); err != nil {
		return err
	}
	skills := []string{}
	if err := tn.SelectFrom("directory_skills", "ds").Column("ds.skill").Where("ds.user_id = ?", s.UserID).OrderExpr("ds.skill").Scan(ctx, &skills); err != nil {
		return err
	}
	if len(prof) > 0 {
		d := prof[0]
		res["directory_profile"] = map[string]any{"title": d.Title, "phone": d.Phone, "location": d.Location, "time_zone": d.TimeZone, "manager_id": d.ManagerID,
			"birthday": birthdayText(d.BirthMonth, d.BirthDay, d.BirthYear), "show_birthday": d.ShowBirthday, "started_on": d.StartedOn,
			"show_anniversary": d.ShowAnniversary, "skills": skills, "updated_at": d.UpdatedAt}
	}
	var img [][]byte
	if err := tn.SelectFrom("directory_photos", "ph").Column("ph.image").Where("ph.user_id = ?", s.UserID).Scan(ctx, &img); err != nil {
		return err
	}
	if len(img) > 0 {
		return out.File("intranet-photo.jpg", bytes.NewReader(img[0]))
	}
	return nil
}

var _ hooks.PersonalData = personalData{}
