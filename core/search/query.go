package search

import (
	"context"
	"fmt"
	"html"
	"html/template"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect/pgdialect"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
)

// Limits of a query.
const (
	MaxQuery     = 200 // characters of q
	MaxTerms     = 12  // words of q that count
	DefaultLimit = 20
	MaxLimit     = 50
	MaxPage      = 50
	// Candidates is how many matches, the most recent first, a search ranks. Ranking every
	// match made a common word cost in proportion to the index (bm25 and ts_rank read each
	// match's positions): 170–400 ms of CPU at the 95th percentile over a million documents.
	// The newest thousand visible matches are the ones people look for in a work suite; older
	// ones are reached by adding a word or a filter. Paging past them extends the window.
	Candidates = 1000
)

// Query is a search: the person's words and the filters.
type Query struct {
	Text      string
	Kinds     []string // empty: every kind
	ProjectID int64
	// Within is a ref ("space:12"): only it and the documents whose parent it is (a space's
	// news, topics, wiki pages and events). Empty: anywhere.
	Within   string
	From, To time.Time // days, UTC midnight; zero: open. To is inclusive.
	Page     int       // from 1
	Limit    int
}

// Hit is one result.
type Hit struct {
	Kind string `json:"kind" example:"task"`
	ID   int64  `json:"id"`
	// Title is the document's title, as text.
	Title string `json:"title" example:"Design the homepage"`
	// Snippet is HTML: an extract of the document, escaped, with the matched words in <mark>.
	Snippet   string    `json:"snippet" example:"the new <mark>homepage</mark> layout"`
	URL       string    `json:"url" example:"/acme/tasks/42"`
	ProjectID int64     `json:"project_id,omitempty"`
	UpdatedAt time.Time `json:"updated_at"`

	TitleHTML   template.HTML `json:"-"`
	SnippetHTML template.HTML `json:"-"`
}

// Results is a page of hits.
type Results struct {
	Items []Hit `json:"items"`
	// NextPage is the page after this one, 0 when this is the last.
	NextPage int `json:"next_page"`
}

// Terms cuts the person's text into the words the query looks for: runs of letters, marks
// and digits, at most MaxTerms. Everything else — quotes, stars, parentheses, colons,
// operators of FTS5 or tsquery — separates words and means nothing.
func Terms(text string) []string {
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
	})
	if len(words) > MaxTerms {
		words = words[:MaxTerms]
	}
	return words
}

// check validates the query's sizes and filters against the known kinds.
func (q *Query) check(kinds []string) error {
	var f problem.Fields
	f.Check(len([]rune(q.Text)) <= MaxQuery, "q", fmt.Sprintf("must be at most %d characters", MaxQuery))
	for _, k := range q.Kinds {
		known := false
		for _, kk := range kinds {
			known = known || k == kk
		}
		f.Check(known, "kind", "must be one of: "+strings.Join(kinds, ", "))
	}
	f.Check(q.ProjectID >= 0, "project_id", "must be an id")
	if q.Within != "" {
		kind, _, ok := within(q.Within)
		f.Check(ok && len(q.Within) <= 60 && slices.Contains(kinds, kind), "within", "must be a kind and an id, like space:12")
	}
	f.Check(q.To.IsZero() || q.From.IsZero() || !q.To.Before(q.From), "to", "must not be before from")
	if q.Page == 0 {
		q.Page = 1
	}
	if q.Limit == 0 {
		q.Limit = DefaultLimit
	}
	f.Check(q.Page >= 1 && q.Page <= MaxPage, "page", fmt.Sprintf("must be a whole number from 1 to %d", MaxPage))
	f.Check(q.Limit >= 1 && q.Limit <= MaxLimit, "limit", fmt.Sprintf("must be a whole number from 1 to %d", MaxLimit))
	return f.Err()
}

// Search finds what the actor may see, ranked, a page at a time. The actor's audience keys
// are part of the query (see the package documentation).
func (s *Service) Search(ctx context.Context, a *actor.Actor, q Query) (Results, error) {
	out := Results{Items: []Hit{}}
	if err := q.check(s.Kinds()); err != nil {
		return out, err
	}
	terms := Terms(q.Text)
	if len(terms) == 0 {
		return out, nil
	}
	keys, err := s.Keys(ctx, a)
	if err != nil {
		return out, err
	}
	if len(keys) == 0 {
		return out, nil
	}
	hits, err := indexFor(s.DB).search(ctx, s.DB, a.AccountID(), terms, tokens(a.AccountID(), keys), q)
	if err != nil {
		return out, err
	}
	if len(hits) > q.Limit {
		hits = hits[:q.Limit]
		out.NextPage = q.Page + 1
		if out.NextPage > MaxPage {
			out.NextPage = 0
		}
	}
	slug := ""
	if a.Account != nil {
		slug = "/" + a.Account.Slug
	}
	for i := range hits {
		h := &hits[i]
		h.URL = slug + h.URL
		h.TitleHTML = marked(h.Title)
		h.Title = strings.NewReplacer(markOpen, "", markClose, "").Replace(h.Title)
		h.SnippetHTML = marked(h.Snippet)
		h.Snippet = string(h.SnippetHTML)
		out.Items = append(out.Items, *h)
	}
	return out, nil
}

// marked escapes highlighted text and turns its markers into <mark> elements.
func marked(s string) template.HTML {
	s = html.EscapeString(s)
	// A snippet may cut between an open and its close: every open gets closed.
	open := false
	var b strings.Builder
	for _, r := range s {
		switch string(r) {
		case markOpen:
			if !open {
				b.WriteString("<mark>")
				open = true
			}
		case markClose:
			if open {
				b.WriteString("</mark>")
				open = false
			}
		default:
			b.WriteRune(r)
		}
	}
	if open {
		b.WriteString("</mark>")
	}
	return template.HTML(b.String()) //nolint:gosec // escaped above; only <mark> is added
}

type hitRow struct {
	Kind      string    `bun:"kind"`
	RefID     int64     `bun:"ref_id"`
	Title     string    `bun:"title"`
	Snippet   string    `bun:"snippet"`
	URL       string    `bun:"url"`
	ProjectID int64     `bun:"project_id"`
	UpdatedAt time.Time `bun:"updated_at"`
}

// within splits the ref of Query.Within (checked by check).
func within(ref string) (string, int64, bool) {
	kind, id, ok := strings.Cut(ref, ":")
	n, err := strconv.ParseInt(id, 10, 64)
	return kind, n, ok && err == nil && n > 0
}

// search runs the query: match, audience, filters, rank and page in one statement. It
// fetches one row more than the page to tell whether another page follows.
func (ix index) search(ctx context.Context, idb bun.IDB, accountID int64, terms, audience []string, q Query) ([]Hit, error) {
	var filters strings.Builder
	var fargs []any
	if len(q.Kinds) > 0 {
		filters.WriteString(" AND d.kind IN (?)")
		fargs = append(fargs, bun.In(q.Kinds))
	}
	if q.ProjectID > 0 {
		filters.WriteString(" AND d.project_id = ?")
		fargs = append(fargs, q.ProjectID)
	}
	if kind, id, ok := within(q.Within); ok {
		filters.WriteString(" AND (d.parent = ? OR (d.kind = ? AND d.ref_id = ?))")
		fargs = append(fargs, q.Within, kind, id)
	}
	if !q.From.IsZero() {
		filters.WriteString(" AND d.updated_at >= ?")
		fargs = append(fargs, q.From.UTC())
	}
	if !q.To.IsZero() {
		filters.WriteString(" AND d.updated_at < ?")
		fargs = append(fargs, q.To.UTC().AddDate(0, 0, 1))
	}
	offset := (q.Page - 1) * q.Limit
	window := max(Candidates, offset+q.Limit+1)
	var rows []hitRow
	var err error
	if ix.postgres {
		tsq := pgQuery(terms)
		args := []any{tsq, accountID, pgdialect.Array(audience)}
		args = append(args, fargs...)
		args = append(args, window, q.Limit+1, offset, tsq)
		err = idb.NewRaw(`SELECT d.kind, d.ref_id, d.url, d.project_id, d.updated_at,
  ts_headline('groupcamp_search', d.title, t.q, 'HighlightAll=true, StartSel=`+markOpen+`, StopSel=`+markClose+`') AS title,
  ts_headline('groupcamp_search', d.body, t.q, 'MaxWords=24, MinWords=8, MaxFragments=2, FragmentDelimiter=" … ", StartSel=`+markOpen+`, StopSel=`+markClose+`') AS snippet
FROM (
  SELECT c.id, c.kind, c.ref_id, c.url, c.project_id, c.updated_at, c.title, c.body, ts_rank(c.tsv, c.q) AS rank
  FROM (
    SELECT d.id, d.kind, d.ref_id, d.url, d.project_id, d.updated_at, d.title, d.body, d.tsv, q
    FROM search_docs AS d, to_tsquery('groupcamp_search', ?) AS q
    WHERE d.account_id = ? AND d.tsv @@ q AND d.aud && ?::text[]`+filters.String()+`
    ORDER BY d.id DESC LIMIT ?
  ) AS c
  ORDER BY rank DESC, c.id LIMIT ? OFFSET ?
) AS d, (SELECT to_tsquery('groupcamp_search', ?) AS q) AS t
ORDER BY d.rank DESC, d.id`, args...).Scan(ctx, &rows)
	} else {
		rows, err = ix.searchFTS(ctx, idb, accountID, terms, audience, q, offset, window)
	}
	if err != nil {
		return nil, fmt.Errorf("search: %w", err)
	}
	hits := make([]Hit, len(rows))
	for i, r := range rows {
		hits[i] = Hit{Kind: r.Kind, ID: r.RefID, Title: r.Title, Snippet: r.Snippet, URL: r.URL, ProjectID: r.ProjectID, UpdatedAt: r.UpdatedAt}
	}
	return hits, nil
}

// searchFTS is the SQLite search, in two steps: the FTS5 table matches the words and ranks
// (its rank: bm25 over the words alone), each match passing only when one of its audience rows
// (search_aud) is among the person's tokens — and the filters, on search_docs — in the same
// statement, which pages; then the page's rows get their highlights and their columns.
// Highlights in the first step would be computed for every match before the sort.
func (ix index) searchFTS(ctx context.Context, idb bun.IDB, accountID int64, terms, audience []string, q Query, offset, window int) ([]hitRow, error) {
	var where strings.Builder
	args := []any{ftsQuery(terms), bun.In(audience)}
	var filters []string
	if len(q.Kinds) > 0 {
		filters = append(filters, "d.kind IN (?)")
		args = append(args, bun.In(q.Kinds))
	}
	if q.ProjectID > 0 {
		filters = append(filters, "d.project_id = ?")
		args = append(args, q.ProjectID)
	}
	if kind, id, ok := within(q.Within); ok {
		filters = append(filters, "(d.parent = ? OR (d.kind = ? AND d.ref_id = ?))")
		args = append(args, q.Within, kind, id)
	}
	if !q.From.IsZero() {
		filters = append(filters, "d.updated_at >= ?")
		args = append(args, q.From.UTC())
	}
	if !q.To.IsZero() {
		filters = append(filters, "d.updated_at < ?")
		args = append(args, q.To.UTC().AddDate(0, 0, 1))
	}
	if len(filters) > 0 {
		where.WriteString(" AND EXISTS (SELECT 1 FROM search_docs AS d WHERE d.id = search_fts.rowid AND " + strings.Join(filters, " AND ") + ")")
	}
	args = append(args, window, q.Limit+1, offset)
	// The inner query walks the matches newest first (FTS5 reads its doclists by descending
	// rowid without a sort) and stops at the window; only those get a bm25 rank.
	// "+a.token" keeps SQLite from seeking search_aud's key once per token of the person (a
	// member of 400 projects has 400): it reads the match's few rows by doc_id and tests each
	// against the list. Measured on 200,000 documents and 1,600 tokens: 1.5 s → 17 ms a query.
	var ids []int64
	err := idb.NewRaw(`SELECT id FROM (
  SELECT rowid AS id, rank FROM search_fts WHERE search_fts MATCH ?
    AND EXISTS (SELECT 1 FROM search_aud AS a WHERE a.doc_id = search_fts.rowid AND +a.token IN (?))`+where.String()+`
  ORDER BY rowid DESC LIMIT ?
) ORDER BY rank, id LIMIT ? OFFSET ?`, args...).Scan(ctx, &ids)
	if err != nil || len(ids) == 0 {
		return nil, err
	}
	var marks []struct {
		ID      int64  `bun:"id"`
		Title   string `bun:"title"`
		Snippet string `bun:"snippet"`
	}
	if err := idb.NewRaw(`SELECT rowid AS id, highlight(search_fts, 0, char(2), char(3)) AS title,
  snippet(search_fts, 1, char(2), char(3), ' … ', 24) AS snippet
FROM search_fts WHERE search_fts MATCH ? AND rowid IN (?)`, ftsQuery(terms), bun.In(ids)).Scan(ctx, &marks); err != nil {
		return nil, err
	}
	var docs []struct {
		hitRow
		ID int64 `bun:"id"`
	}
	if err := idb.NewRaw("SELECT id, kind, ref_id, url, project_id, updated_at FROM search_docs WHERE account_id = ? AND id IN (?)", accountID, bun.In(ids)).
		Scan(ctx, &docs); err != nil {
		return nil, err
	}
	byID := make(map[int64]*hitRow, len(docs))
	for i := range docs {
		byID[docs[i].ID] = &docs[i].hitRow
	}
	for _, m := range marks {
		if r := byID[m.ID]; r != nil {
			r.Title, r.Snippet = m.Title, m.Snippet
		}
	}
	rows := make([]hitRow, 0, len(ids))
	for _, id := range ids {
		if r := byID[id]; r != nil {
			rows = append(rows, *r)
		}
	}
	return rows, nil
}

// ftsQuery is the FTS5 expression: every term quoted (a phrase of one word, never syntax),
// the last a prefix, all of them in the title or the body.
func ftsQuery(terms []string) string {
	var b strings.Builder
	b.WriteString("{title body} : (")
	for i, t := range terms {
		if i > 0 {
			b.WriteString(" ")
		}
		b.WriteString(`"` + strings.ReplaceAll(t, `"`, `""`) + `"`)
		if i == len(terms)-1 {
			b.WriteString("*")
		}
	}
	b.WriteString(")")
	return b.String()
}

// pgQuery is the tsquery text: every term quoted, the last a prefix, all required.
func pgQuery(terms []string) string {
	parts := make([]string, len(terms))
	for i, t := range terms {
		parts[i] = "'" + strings.ReplaceAll(strings.ReplaceAll(t, `\`, `\\`), "'", "''") + "'"
		if i == len(terms)-1 {
			parts[i] += ":*"
		}
	}
	return strings.Join(parts, " & ")
}
