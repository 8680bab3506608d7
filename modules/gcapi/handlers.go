package gcapi

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/identity"
	projects "groupcamp/modules/projects/contract"
	timesheet "groupcamp/modules/timesheet/contract"
)

// handlers serve the compatible API over the other modules' ports and the core's people.
type handlers struct {
	svc    *Service
	gate   *gate
	groups *app.Port[projects.Groups]
	times  *app.Port[timesheet.TimeLogs]
	spent  *app.Port[timesheet.TimeSpent]
	people *identity.Service
	log    *slog.Logger
	// base is the public URL the absolute next_page links start with ("" : the request's).
	base string
	// fullPage is the page size of the "full" mechanism (0: FullPageSize).
	fullPage int
}

// do runs fn with the request's call, and writes its error as GroupCamp does (fields maps our
// field names to the documentation's).
func (h *handlers) do(fields map[string]string, fn func(c *fiber.Ctx, a *actor.Actor) error) fiber.Handler {
	return func(c *fiber.Ctx) error {
		cl := callOf(c)
		if cl == nil {
			return writeError(c, fiber.StatusUnauthorized, "unauthorized", "", nil)
		}
		if err := fn(c, cl.a); err != nil {
			return fail(c, h.log, err, fields)
		}
		return nil
	}
}

// decode reads a JSON object body into dst; fields it does not know are ignored (older
// scripts send fields GroupCamp v3 removed).
func decode(c *fiber.Ctx, dst any) error {
	body := bytes.TrimSpace(c.Body())
	if len(body) == 0 || body[0] != '{' {
		return &badRequest{detail: "error_json", errs: []fieldError{{Field: "body", Error: "invalid_json"}}}
	}
	if err := json.Unmarshal(body, dst); err != nil {
		var te *json.UnmarshalTypeError
		if ok := asType(err, &te); ok && te.Field != "" {
			return &badRequest{detail: "error_body_data", errs: []fieldError{{Field: te.Field, Error: "invalid"}}}
		}
		return &badRequest{detail: "error_json", errs: []fieldError{{Field: "body", Error: "invalid_json"}}}
	}
	return nil
}

func asType(err error, te **json.UnmarshalTypeError) bool {
	t, ok := err.(*json.UnmarshalTypeError)
	if ok {
		*te = t
	}
	return ok
}

// baseURL is where the absolute links of the answers start.
func (h *handlers) baseURL(c *fiber.Ctx) string {
	if h.base != "" {
		return strings.TrimRight(h.base, "/")
	}
	return c.BaseURL()
}

// members reads the account's people of ids (those still there), by id.
func (h *handlers) members(c *fiber.Ctx, a *actor.Actor, ids []int64) (map[int64]identity.Member, error) {
	if len(ids) == 0 {
		return map[int64]identity.Member{}, nil
	}
	return h.people.MembersByID(c.UserContext(), a, uniq(ids))
}

func uniq(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0:0]
	for _, v := range ids {
		if v > 0 && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// person is the member of id, or Nobody.
func person(ms map[int64]identity.Member, uid int64) any {
	if m, ok := ms[uid]; ok {
		return simpleUser(m)
	}
	return nobody
}

// personOrNil is the member of id, or null.
func personOrNil(ms map[int64]identity.Member, uid int64) *SimpleUser {
	if m, ok := ms[uid]; ok {
		u := simpleUser(m)
		return &u
	}
	return nil
}

// userRef reads a person named by id or by email (PUT and DELETE .../user/[User]).
func (h *handlers) userRef(c *fiber.Ctx, a *actor.Actor, ref string) (int64, error) {
	if un, err := url.PathUnescape(ref); err == nil {
		ref = un // jean%40example.com
	}
	ref = strings.TrimSpace(ref)
	if n, ok := parseID(ref); ok {
		ms, err := h.members(c, a, []int64{n})
		if err != nil {
			return 0, err
		}
		if _, ok := ms[n]; !ok {
			return 0, notFound
		}
		return n, nil
	}
	if !strings.Contains(ref, "@") || len(ref) > 254 {
		return 0, badID("User")
	}
	list, err := h.people.ListMembers(c.UserContext(), a, api.Page{Limit: 20}, identity.MemberFilter{Query: ref})
	if err != nil {
		return 0, err
	}
	for _, m := range list.Items {
		if strings.EqualFold(m.Email, ref) {
			return m.ID, nil
		}
	}
	return 0, notFound
}
