package search

import (
	"embed"
	"html/template"
	"io/fs"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/problem"
	"groupcamp/core/web"
)

//go:embed views locales
var files embed.FS

// Catalogs are the search's message catalogs.
func Catalogs() fs.FS {
	sub, _ := fs.Sub(files, "locales")
	return sub
}

// HTTP serves the search API and page.
type HTTP struct {
	Svc *Service
	Web *web.Renderer
}

// Install loads the views and the catalogs.
func (h *HTTP) Install() error {
	views, _ := fs.Sub(files, "views")
	if err := h.Web.Load(views, "search"); err != nil {
		return err
	}
	return h.Web.Catalog.Add(Catalogs())
}

// Nav is none: the search is the box in the shell's header, on every page.

// Routes registers the API and the page.
func (h *HTTP) Routes(r *api.Routes) {
	can := api.Can("search", "read")
	r.Get("/api/v1/:slug/search", can, h.api, api.Doc{Summary: "Search everything the caller may see", Tag: "Search",
		Description: "Words are matched whole, the last one as a prefix, accents ignored; nothing of the text is query syntax. " +
			"Results are ranked (title first), with the matched words in <mark> in the snippet, and hold only what the caller may see.",
		Response: Results{}, Query: []api.Param{
			{Name: "q", Type: "string", Description: "the words (at most 200 characters)", Required: true},
			{Name: "kind", Type: "string", Description: "only these kinds, comma-separated (task, comment, project, person, ...)", Pattern: `^[a-z_]+(,[a-z_]+)*$`},
			{Name: "project_id", Type: "integer", Format: "int64", Description: "only in this project"},
			{Name: "within", Type: "string", Description: "only this document and those it holds, as kind:id (space:12: an intranet space's news, topics, wiki pages and events)", Pattern: `^[a-z_]+:[0-9]+$`},
			{Name: "from", Type: "string", Format: "date", Description: "changed on or after this day"},
			{Name: "to", Type: "string", Format: "date", Description: "changed on or before this day"},
			{Name: "page", Type: "integer", Description: "1 to 50 (default 1)"},
			{Name: "limit", Type: "integer", Description: "1 to 50 (default 20)"},
		}})
	r.Get("/:slug/search", can, h.page)
}

// parse reads the query string; a bad value is a 422 naming the parameter.
func parse(c *fiber.Ctx) (Query, error) {
	var q Query
	var f problem.Fields
	text, err := api.QueryText(c, "q", MaxQuery)
	if err != nil {
		return q, err
	}
	q.Text = text
	if k := strings.TrimSpace(c.Query("kind")); k != "" {
		for _, part := range strings.Split(k, ",") {
			if part = strings.TrimSpace(part); part != "" {
				q.Kinds = append(q.Kinds, strings.Clone(part))
			}
		}
		f.Check(len(q.Kinds) <= 20, "kind", "names too many kinds")
	}
	if s := c.Query("project_id"); s != "" {
		id, ok := api.ParseID(s)
		f.Check(ok, "project_id", "must be an id")
		q.ProjectID = id
	}
	q.Within = strings.TrimSpace(c.Query("within"))
	day := func(name string) time.Time {
		s := c.Query(name)
		if s == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, s)
		f.Check(err == nil, name, "must be a day: YYYY-MM-DD")
		return t
	}
	q.From, q.To = day("from"), day("to")
	whole := func(name string, max int) int {
		s := c.Query(name)
		if s == "" {
			return 0
		}
		n, err := strconv.Atoi(s)
		f.Check(err == nil && n >= 1 && n <= max, name, "must be a whole number from 1 to "+strconv.Itoa(max))
		return n
	}
	q.Page, q.Limit = whole("page", MaxPage), whole("limit", MaxLimit)
	return q, f.Err()
}

func (h *HTTP) api(c *fiber.Ctx) error {
	q, err := parse(c)
	if err != nil {
		return err
	}
	res, err := h.Svc.Search(c.UserContext(), actor.From(c), q)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

type pageData struct {
	Q        string
	Kind     string
	Kinds    []string
	From, To string
	Project  int64
	// Inside is the within filter (a ref, "space:12"): the search stays inside it.
	Inside   string
	Searched bool
	Results  Results
	// Next, Clear and Within are query strings, template.URL so that the page's links keep
	// their "=" and "&" (a plain string after "?" would be escaped whole).
	Next   template.URL // the next page's query string
	Clear  template.URL // the query string without the project (or within) filter
	Within template.URL // the query string with a project filter to fill in (…&project_id=)
}

func (h *HTTP) page(c *fiber.Ctx) error {
	q, err := parse(c)
	if err != nil {
		return err
	}
	a := actor.From(c)
	d := pageData{Q: q.Text, Kind: strings.Join(q.Kinds, ","), Kinds: h.Svc.Kinds(), From: c.Query("from"), To: c.Query("to"), Project: q.ProjectID, Inside: q.Within}
	if len(Terms(q.Text)) > 0 {
		d.Searched = true
		if d.Results, err = h.Svc.Search(c.UserContext(), a, q); err != nil {
			return err
		}
	}
	vals := url.Values{}
	set := func(k, v string) {
		if v != "" {
			vals.Set(k, v)
		}
	}
	set("q", d.Q)
	set("kind", d.Kind)
	set("from", d.From)
	set("to", d.To)
	d.Within = template.URL(vals.Encode())
	d.Clear = template.URL(vals.Encode())
	if q.ProjectID > 0 {
		vals.Set("project_id", strconv.FormatInt(q.ProjectID, 10))
	}
	set("within", q.Within)
	if d.Results.NextPage > 0 {
		vals.Set("page", strconv.Itoa(d.Results.NextPage))
		d.Next = template.URL(vals.Encode())
	}
	p := h.Web.NewPage(c, "search.title")
	p.Data = d
	return h.Web.Render(c, "search/search", p)
}
