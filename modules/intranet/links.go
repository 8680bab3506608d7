package intranet

import (
	"context"
	"fmt"
	"regexp"
	"strings"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
)

// wikiLink is an internal link of a wiki page: [[Page name]] (a title of the same space).
var wikiLink = regexp.MustCompile(`\[\[([^\[\]\n]{1,200})\]\]`)

// maxLinks bounds the titles one page's links look up.
const maxLinks = 200

// linked turns the [[Page name]] of a page's Markdown into links to the pages of its space
// with that title (the first of equal titles); a name no page bears stays as text, marked, for
// the page to be written. The result is Markdown, rendered and sanitized like any other.
func (s *Service) linked(ctx context.Context, tn db.Tenant, w WikiPage, slug string) (string, error) {
	found := wikiLink.FindAllStringSubmatch(w.Body, maxLinks)
	if len(found) == 0 {
		return w.Body, nil
	}
	titles := make([]string, 0, len(found))
	for _, m := range found {
		titles = append(titles, strings.TrimSpace(m[1]))
	}
	var pages []struct {
		ID    int64  `bun:"id"`
		Title string `bun:"title"`
	}
	if err := tn.SelectFrom("intranet_wiki_pages", "w").ColumnExpr("w.id, w.title").Where("w.space_id = ? AND w.title IN (?)", w.SpaceID, bun.In(titles)).
		OrderExpr("w.id").Scan(ctx, &pages); err != nil {
		return "", err
	}
	ids := map[string]int64{}
	for _, p := range pages {
		if _, ok := ids[p.Title]; !ok {
			ids[p.Title] = p.ID
		}
	}
	return wikiLink.ReplaceAllStringFunc(w.Body, func(m string) string {
		title := strings.TrimSpace(m[2 : len(m)-2])
		label := escapeMarkdown(title)
		if id, ok := ids[title]; ok {
			return fmt.Sprintf("[%s](/%s/intranet/wiki/%d)", label, slug, id)
		}
		return "_" + label + "_ (?)"
	}), nil
}

// Linked is a page's Markdown with its [[Page name]] links resolved (see linked).
func (s *Service) Linked(ctx context.Context, a *actor.Actor, w WikiPage) (string, error) {
	return s.linked(ctx, s.tenant(a.AccountID()), w, a.Account.Slug)
}

// Backlinks are the pages of the same space that link to this one ([[its title]]), by title.
func (s *Service) Backlinks(ctx context.Context, a *actor.Actor, id int64) ([]WikiPage, error) {
	tn := s.tenant(a.AccountID())
	w, err := s.wikiPage(ctx, tn, a, id)
	if err != nil {
		return nil, err
	}
	out := []WikiPage{}
	err = s.wikiQuery(tn, a, &out, wikiCols).Where("w.space_id = ? AND w.id <> ? AND w.body LIKE ? ESCAPE '\\'", w.SpaceID, id, "%[["+likeEscape(w.Title)+"]]%").
		OrderExpr("w.title, w.id").Limit(100).Scan(ctx)
	return out, err
}

func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// escapeMarkdown keeps a title's own characters from being read as Markdown in a link's label.
func escapeMarkdown(s string) string {
	return strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`, `*`, `\*`, `_`, `\_`, "`", "\\`", `<`, `&lt;`).Replace(s)
}
