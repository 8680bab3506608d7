package gcapi

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
)

// GroupCamp's two paging mechanisms (Paging.md).
//
// "next": each page is read when asked for; the answer's next_page is the absolute URL of the
// next one (the same query with after=<the last id>), absent — not null — on the last page.
//
// "full": the whole answer is read once and kept as pages (gcapi_pages) for PagesKept; the
// answer says page_count and current_page, and next_page / previous_page when there is one.
// A page asked for after it expired answers 410 gone.

// PageSize is the number of items of a page of the "next" mechanism.
const PageSize = 100

// FullPageSize is the default number of items of a page of the "full" mechanism (time logs):
// a script pages through 10,000 of them in 20 requests.
const FullPageSize = 500

// PagesKept is how long the pages of a "full" answer stay (GroupCamp: at most 24 hours, "can
// be less"): long enough for a script to page through, short enough that a script polling
// every minute keeps a bounded number of copies (10,000 time logs are ~5 MB of pages).
const PagesKept = 15 * time.Minute

// nextPage is an answer of the "next" mechanism.
type nextPage struct {
	Result   any    `json:"result"`
	NextPage string `json:"next_page,omitempty"`
}

// writeNext writes a page of the "next" mechanism; more says whether a page follows, after
// the id its URL continues after.
func (h *handlers) writeNext(c *fiber.Ctx, items any, more bool, after int64) error {
	out := nextPage{Result: items}
	if more {
		out.NextPage = h.pageURL(c, map[string]string{"after": strconv.FormatInt(after, 10)})
	}
	return writeJSON(c, fiber.StatusOK, out)
}

// pageURL is the request's own absolute URL with the query's keys of set changed.
func (h *handlers) pageURL(c *fiber.Ctx, set map[string]string) string {
	args := fiber.AcquireArgs()
	defer fiber.ReleaseArgs(args)
	c.Request().URI().QueryArgs().CopyTo(args)
	for k, v := range set {
		args.Set(k, v)
	}
	return h.baseURL(c) + string(c.Request().URI().PathOriginal()) + "?" + string(args.QueryString())
}

// after reads the "next" mechanism's continuation (0 on the first page).
func after(c *fiber.Ctx) (int64, error) {
	s := c.Query("after")
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, badParam("after", "invalid")
	}
	return n, nil
}

// fullPage is an answer of the "full" mechanism.
type fullPage struct {
	Result       json.RawMessage `json:"result"`
	NextPage     string          `json:"next_page,omitempty"`
	PreviousPage string          `json:"previous_page,omitempty"`
	PageCount    int             `json:"page_count"`
	CurrentPage  int             `json:"current_page"`
}

// full answers a "full" listing: a page kept from the first request when the query names
// one (token and page), else every item of all() split into pages, the first one answered.
func (h *handlers) full(c *fiber.Ctx, a *actor.Actor, all func() ([]any, error)) error {
	if token := c.Query("token"); token != "" {
		n, err := strconv.Atoi(c.Query("page"))
		if err != nil || n < 1 || len(token) > 64 {
			return badParam("page", "invalid")
		}
		p, err := h.svc.store().page(c.UserContext(), h.svc.tenant(a.AccountID()), token, n, h.svc.clock())
		if err != nil {
			return err
		}
		if p == nil {
			return errGone
		}
		return h.writeFull(c, token, n, p.PageCount, json.RawMessage(p.Body))
	}
	items, err := all()
	if err != nil {
		return err
	}
	size := h.fullPage
	if size <= 0 {
		size = FullPageSize
	}
	count := (len(items) + size - 1) / size
	if count <= 1 {
		body, err := json.Marshal(append([]any{}, items...))
		if err != nil {
			return err
		}
		return h.writeFull(c, "", 1, 1, body)
	}
	token := randomID(15)
	expires := h.svc.clock().Add(PagesKept)
	rows := make([]page, 0, count)
	var first json.RawMessage
	for i := 0; i < count; i++ {
		end := min((i+1)*size, len(items))
		body, err := json.Marshal(items[i*size : end])
		if err != nil {
			return err
		}
		if i == 0 {
			first = body
		}
		rows = append(rows, page{AccountID: a.AccountID(), Token: token, Page: i + 1, PageCount: count, Body: string(body), ExpiresAt: expires})
	}
	if err := h.svc.store().savePages(c.UserContext(), h.svc.tenant(a.AccountID()), rows, h.svc.clock()); err != nil {
		return err
	}
	return h.writeFull(c, token, 1, count, first)
}

func (h *handlers) writeFull(c *fiber.Ctx, token string, n, count int, body json.RawMessage) error {
	out := fullPage{Result: body, PageCount: count, CurrentPage: n}
	if n < count {
		out.NextPage = h.pageURL(c, map[string]string{"token": token, "page": strconv.Itoa(n + 1)})
	}
	if n > 1 {
		out.PreviousPage = h.pageURL(c, map[string]string{"token": token, "page": strconv.Itoa(n - 1)})
	}
	return writeJSON(c, fiber.StatusOK, out)
}
