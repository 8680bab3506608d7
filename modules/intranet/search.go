package intranet

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/search"
)

// The kinds of documents the intranet offers to the search.
const (
	KindSpace = "space"
	KindNews  = "news"
	KindTopic = "topic"
	KindWiki  = "wiki"
	KindEvent = "event"
)

// searchSource offers spaces, published news, topics, wiki pages and events to the search
// (core/search) with the visibility of the module's pages, as audience keys: a company space
// and what it holds "staff" (every colleague, never clients); a team's space "admins" and
// "intranet:team:<id>" (its members). A scheduled post is offered once published (the index is
// refreshed when the post's time comes by the module's minute job — see Module.Register).
type searchSource struct{ svc *Service }

func (searchSource) Kinds() []string {
	return []string{KindSpace, KindNews, KindTopic, KindWiki, KindEvent, KindProfile}
}

func teamKey(id int64) string { return "intranet:team:" + strconv.FormatInt(id, 10) }

func spaceAudience(teamID *int64) []string {
	if teamID == nil {
		return []string{search.KeyStaff}
	}
	return []string{search.KeyAdmins, teamKey(*teamID)}
}

// searchRow is what every kind gives the index.
type searchRow struct {
	ID        int64     `bun:"id"`
	SpaceID   int64     `bun:"space_id"`
	TeamID    *int64    `bun:"team_id"`
	ProjectID *int64    `bun:"project_id"`
	Shared    bool      `bun:"shared_with_clients"`
	AuthorID  *int64    `bun:"author_id"`
	Title     string    `bun:"title"`
	Body      string    `bun:"body"`
	UpdatedAt time.Time `bun:"updated_at"`
}

// Documents offers the account's documents, or those of refs (a space's ref: everything in it).
func (src searchSource) Documents(ctx context.Context, idb bun.IDB, accountID int64, refs []hooks.Ref, fn func(hooks.Document) error) error {
	tn := db.For(idb, accountID)
	ids := map[string][]int64{}
	for _, r := range refs {
		ids[r.Kind] = append(ids[r.Kind], r.ID)
	}
	all := len(refs) == 0
	if err := src.profileDocuments(ctx, tn, all, ids[KindProfile], fn); err != nil { // directory_search.go
		return err
	}
	spaces := ids[KindSpace]
	if pids := ids["project"]; len(pids) > 0 {
		// A project's refresh (its name, access or clients changed): its space and all in it.
		var more []int64
		if err := tn.SelectFrom("intranet_spaces", "ps").Column("ps.id").Where("ps.project_id IN (?)", bun.In(pids)).Scan(ctx, &more); err != nil {
			return err
		}
		spaces = append(spaces, more...)
	}
	type kind struct {
		kind, table, alias, cols, url string
	}
	now := src.svc.now()
	kinds := []kind{
		{KindSpace, "intranet_spaces", "x", "x.id, x.id AS space_id, x.team_id, x.project_id, x.shared_with_clients, x.created_by AS author_id, x.name AS title, x.description AS body, x.updated_at", "/intranet/spaces/"},
		{KindNews, "intranet_news", "x", "x.id, x.space_id, sp.team_id, sp.project_id, sp.shared_with_clients, x.author_id, x.title, x.body, x.updated_at", "/intranet/news/"},
		{KindTopic, "intranet_topics", "x", "x.id, x.space_id, sp.team_id, sp.project_id, sp.shared_with_clients, x.author_id, x.title, x.body, x.last_activity_at AS updated_at", "/intranet/topics/"},
		{KindWiki, "intranet_wiki_pages", "x", "x.id, x.space_id, sp.team_id, sp.project_id, sp.shared_with_clients, x.updated_by AS author_id, x.title, x.body, x.updated_at", "/intranet/wiki/"},
		{KindEvent, "intranet_events", "x", "x.id, x.space_id, sp.team_id, sp.project_id, sp.shared_with_clients, x.created_by AS author_id, x.title, x.place || ' ' || x.description AS body, x.updated_at", "/intranet/events/"},
	}
	for _, k := range kinds {
		own := ids[k.kind]
		if !all && len(own) == 0 && len(spaces) == 0 {
			continue
		}
		q := tn.SelectFrom(k.table, k.alias).ColumnExpr(k.cols)
		if k.kind != KindSpace {
			q = q.Join("JOIN intranet_spaces AS sp ON sp.id = x.space_id")
		}
		if k.kind == KindNews {
			q = q.Where("x.publish_at <= ?", now)
		}
		if !all {
			q = q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
				if len(own) > 0 {
					q = q.WhereOr("x.id IN (?)", bun.In(own))
				}
				if len(spaces) > 0 {
					col := "x.space_id"
					if k.kind == KindSpace {
						col = "x.id"
					}
					q = q.WhereOr(col+" IN (?)", bun.In(spaces))
				}
				return q
			})
		}
		var rows []searchRow
		if err := q.Scan(ctx, &rows); err != nil {
			return err
		}
		if k.kind == KindTopic {
			if err := withReplies(ctx, tn, rows); err != nil {
				return err
			}
		}
		if k.kind == KindEvent {
			if err := withOccurrences(ctx, tn, rows); err != nil {
				return err
			}
		}
		keys, err := src.projectKeys(ctx, idb, accountID, rows)
		if err != nil {
			return err
		}
		for _, r := range rows {
			var author int64
			if r.AuthorID != nil {
				author = *r.AuthorID
			}
			d := hooks.Document{AccountID: accountID, Kind: k.kind, ID: r.ID, AuthorID: author, Title: r.Title, Body: r.Body,
				URL: k.url + strconv.FormatInt(r.ID, 10), UpdatedAt: r.UpdatedAt, Audience: spaceAudience(r.TeamID)}
			if k.kind != KindSpace {
				d.Parent = hooks.Ref{Kind: KindSpace, ID: r.SpaceID}.String()
			}
			if r.ProjectID != nil {
				// A project's space: who sees the project, its clients once shared; its
				// wiki and discussions open under the project (their clients' way in).
				pk := keys[*r.ProjectID]
				d.ProjectID, d.Audience = *r.ProjectID, append([]string{}, pk.Staff...)
				if r.Shared {
					d.Audience = append(d.Audience, pk.Clients...)
				}
				d.URL = projectURL(k.kind, *r.ProjectID, r.ID, d.URL)
			}
			if err := fn(d); err != nil {
				return err
			}
		}
	}
	return nil
}

// projectKeys asks the projects module for the audience keys of the projects of rows.
func (src searchSource) projectKeys(ctx context.Context, idb bun.IDB, accountID int64, rows []searchRow) (map[int64]hooks.ProjectKeys, error) {
	var ids []int64
	for _, r := range rows {
		if r.ProjectID != nil {
			ids = append(ids, *r.ProjectID)
		}
	}
	pa, ok := src.svc.projects()
	if len(ids) == 0 || !ok {
		return map[int64]hooks.ProjectKeys{}, nil
	}
	return pa.SearchKeys(ctx, idb, accountID, ids)
}

// projectURL is where a document of a project's space opens (under /{slug}).
func projectURL(kind string, projectID, id int64, intranet string) string {
	base := "/projects/" + strconv.FormatInt(projectID, 10)
	switch kind {
	case KindSpace:
		return base + "/discussions"
	case KindTopic:
		return base + "/discussions/" + strconv.FormatInt(id, 10)
	case KindWiki:
		return base + "/wiki/" + strconv.FormatInt(id, 10)
	}
	return intranet
}

// maxIndexedReplies bounds the replies' text a topic's document holds (the newest go first
// out of it: a long discussion's start is what people look for most).
const maxIndexedReplies = 256 << 10

// withReplies appends to each topic's body the text of its replies, so that a search finds a
// discussion by what was answered in it (the result is the topic: a reply has no page of its
// own). A reply, its edit or deletion touches the topic.
func withReplies(ctx context.Context, tn db.Tenant, topics []searchRow) error {
	if len(topics) == 0 {
		return nil
	}
	at := make(map[int64]int, len(topics))
	ids := make([]int64, len(topics))
	for i, t := range topics {
		at[t.ID], ids[i] = i, t.ID
	}
	var rs []struct {
		TopicID int64  `bun:"topic_id"`
		Body    string `bun:"body"`
	}
	if err := tn.SelectFrom("intranet_replies", "r").ColumnExpr("r.topic_id, r.body").Where("r.topic_id IN (?)", bun.In(ids)).OrderExpr("r.topic_id, r.id").Scan(ctx, &rs); err != nil {
		return err
	}
	for _, r := range rs {
		t := &topics[at[r.TopicID]]
		if len(t.Body)+len(r.Body) <= maxIndexedReplies {
			t.Body += "\n\n" + r.Body
		}
	}
	return nil
}

// maxIndexedOccurrences bounds the text of the occurrences changed alone that a series'
// document holds.
const maxIndexedOccurrences = 64 << 10

// withOccurrences appends to each event's body the title, place and description of the
// occurrences of its series changed alone (intranet_event_exceptions, not cancelled), so that
// a search finds the series by an occurrence's own title (the result is the event: an
// occurrence is a page of it). Saving or cancelling an occurrence touches the event.
func withOccurrences(ctx context.Context, tn db.Tenant, events []searchRow) error {
	if len(events) == 0 {
		return nil
	}
	at := make(map[int64]int, len(events))
	ids := make([]int64, len(events))
	for i, e := range events {
		at[e.ID], ids[i] = i, e.ID
	}
	var xs []Exception
	if err := tn.Select(&xs).Column("event_id", "title", "place", "description").Where("ex.event_id IN (?) AND ex.cancelled = ?", bun.In(ids), false).
		OrderExpr("ex.event_id, ex.occurs_on").Scan(ctx); err != nil {
		return err
	}
	for _, x := range xs {
		e := &events[at[x.EventID]]
		text := strings.TrimSpace(x.Title + " " + x.Place + " " + x.Description)
		if text != "" && !strings.Contains(e.Body, text) && len(e.Body)+len(text) <= maxIndexedOccurrences {
			e.Body += "\n\n" + text
		}
	}
	return nil
}

// Audience is the keys of the teams the actor is in (colleagues only: a client sees no space).
func (src searchSource) Audience(ctx context.Context, a *actor.Actor) ([]string, error) {
	if a.Role == actor.RoleClient {
		return nil, nil
	}
	var teams []int64
	if err := src.svc.tenant(a.AccountID()).SelectFrom("team_members", "tm").Column("tm.team_id").Where("tm.user_id = ?", a.UserID).Scan(ctx, &teams); err != nil {
		return nil, err
	}
	keys := make([]string, len(teams))
	for i, t := range teams {
		keys[i] = teamKey(t)
	}
	return keys, nil
}

// ProjectDocuments: a project's refresh reaches the documents of its space.
func (searchSource) ProjectDocuments() bool { return true }

var (
	_ hooks.SearchSource     = searchSource{}
	_ hooks.ProjectDocuments = searchSource{}
)
