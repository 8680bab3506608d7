package intranet

import (
	"context"
	"slices"
	"strconv"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
)

// activitySource is the module's hooks.ActivitySource, for the home page's "what changed since
// my last visit": the posts published, the discussions opened, the replies and the wiki saves
// in the person's spaces since then, newest first. A project's space's discussions and wiki
// link under the project (/{slug}/projects/{id}/discussions|wiki/...), the pages its clients
// may open; a client (who reaches no intranet page) gets only those, never a news post or an
// event, which have no page under the project.
type activitySource struct{ svc *Service }

// activityRow is one change, whatever its kind.
type activityRow struct {
	ID        int64     `bun:"id"`
	Title     string    `bun:"title"`
	SpaceName string    `bun:"space_name"`
	ProjectID *int64    `bun:"project_id"`
	ActorName string    `bun:"actor_name"`
	At        time.Time `bun:"at"`
}

func (src activitySource) Activity(ctx context.Context, a *actor.Actor, since time.Time, limit int) ([]hooks.ActivityEntry, error) {
	staff := a.May("intranet", "read")
	if !staff && !a.May("intranet.project", "read") {
		return nil, nil
	}
	tn := src.svc.tenant(a.AccountID())
	now := src.svc.now()
	base := "/" + a.Account.Slug + "/intranet/"
	kinds := []struct {
		verb, table, alias, spaceCol, cols, when, url, projectURL string
	}{
		{"news", "intranet_news", "n", "n.space_id", "n.id, n.title, (SELECT u.name FROM users AS u WHERE u.id = n.author_id) AS actor_name, n.publish_at AS at", "n.publish_at", "news/", ""},
		{"topic", "intranet_topics", "t", "t.space_id", "t.id, t.title, (SELECT u.name FROM users AS u WHERE u.id = t.author_id) AS actor_name, t.created_at AS at", "t.created_at", "topics/", "discussions/"},
		{"reply", "intranet_replies", "r", "(SELECT tt.space_id FROM intranet_topics AS tt WHERE tt.id = r.topic_id)",
			"r.topic_id AS id, (SELECT tt.title FROM intranet_topics AS tt WHERE tt.id = r.topic_id) AS title, (SELECT u.name FROM users AS u WHERE u.id = r.author_id) AS actor_name, r.created_at AS at", "r.created_at", "topics/", "discussions/"},
		{"event", "intranet_events", "e", "e.space_id", "e.id, e.title, (SELECT u.name FROM users AS u WHERE u.id = e.created_by) AS actor_name, e.created_at AS at", "e.created_at", "events/", ""},
		{"wiki", "intranet_wiki_revisions", "v", "(SELECT ww.space_id FROM intranet_wiki_pages AS ww WHERE ww.id = v.page_id)",
			"v.page_id AS id, v.title, (SELECT u.name FROM users AS u WHERE u.id = v.author_id) AS actor_name, v.created_at AS at", "v.created_at", "wiki/", "wiki/"},
	}
	var out []hooks.ActivityEntry
	for _, k := range kinds {
		if !staff && k.projectURL == "" {
			continue
		}
		var rows []activityRow
		q := tn.SelectFrom(k.table, k.alias).ColumnExpr(k.cols).
			ColumnExpr("(SELECT sp.name FROM intranet_spaces AS sp WHERE sp.id = "+k.spaceCol+") AS space_name").
			ColumnExpr("(SELECT sp.project_id FROM intranet_spaces AS sp WHERE sp.id = "+k.spaceCol+") AS project_id").
			Where(k.when+" > ? AND "+k.when+" <= ?", since, now).OrderExpr(k.when + " DESC").Limit(int64(limit))
		if err := src.svc.visibleSpaces(q, a, k.spaceCol).Scan(ctx, &rows); err != nil {
			return nil, err
		}
		for _, r := range rows {
			url := base + k.url + strconv.FormatInt(r.ID, 10)
			if r.ProjectID != nil && k.projectURL != "" {
				url = "/" + a.Account.Slug + "/projects/" + strconv.FormatInt(*r.ProjectID, 10) + "/" + k.projectURL + strconv.FormatInt(r.ID, 10)
			} else if !staff {
				continue // a client opens nothing in the intranet
			}
			out = append(out, hooks.ActivityEntry{Module: "intranet", Actor: r.ActorName, Verb: "intranet.verb." + k.verb, Text: r.Title,
				URL: url, Where: r.SpaceName, At: r.At})
		}
	}
	slices.SortStableFunc(out, func(x, y hooks.ActivityEntry) int { return y.At.Compare(x.At) })
	if len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

var _ hooks.ActivitySource = activitySource{}
