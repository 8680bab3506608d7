package search_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/search"
	"groupcamp/core/testkit"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// hits searches as c and returns the titles found, failing on anything but 200.
func hits(t *testing.T, c *testkit.Client, slug, query string) []string {
	t.Helper()
	r := c.Get("/api/v1/" + slug + "/search?" + query)
	if r.Status != http.StatusOK {
		t.Fatalf("search %s: %d %s", query, r.Status, r.Body)
	}
	var out struct {
		Items []struct {
			Kind, Title, Snippet, URL string
		} `json:"items"`
	}
	r.JSON(t, &out)
	titles := make([]string, len(out.Items))
	for i, h := range out.Items {
		titles[i] = h.Kind + ":" + h.Title
	}
	return titles
}

func q(s string) string { return "q=" + url.QueryEscape(s) }

// People are found by their colleagues with or without accents, and by nobody else.
func TestPeopleFoundByColleaguesOnly(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		mem := e.NewUser(acc, actor.RoleMember)
		cli := e.NewUser(acc, actor.RoleClient)
		r := e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/users", map[string]any{"name": "Éléonore Dupré", "email": "eleonore@" + acc.Slug + ".test", "role": "member"})
		if r.Status != http.StatusCreated {
			t.Fatalf("invite: %d %s", r.Status, r.Body)
		}
		e.Settle()
		for _, text := range []string{"eleonore", "Éléonore", "ELEONORE dupre", "eléo"} {
			if got := hits(t, e.As(mem), acc.Slug, q(text)); len(got) != 1 || got[0] != "person:Éléonore Dupré" {
				t.Errorf("member, %q: %v", text, got)
			}
		}
		if got := hits(t, e.As(acc.Owner), acc.Slug, q("dupre")+"&kind=person"); len(got) != 1 {
			t.Errorf("owner: %v", got)
		}
		// A client reads no one of the account: the search finds no one either.
		if got := hits(t, e.As(cli), acc.Slug, q("eleonore")); len(got) != 0 {
			t.Errorf("client found %v", got)
		}
		// Another account's people are not found, even by name.
		other := e.NewAccount()
		if got := hits(t, e.As(other.Owner), other.Slug, q("eleonore")); len(got) != 0 {
			t.Errorf("another account found %v", got)
		}
	})
}

// The person's text is never query syntax, and bad parameters are 422s naming them.
func TestBadInput(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		c := e.As(acc.Owner)
		e.Settle()
		for _, text := range []string{`"`, `owner*`, `owner OR`, `NEAR(owner`, `{title}: x`, `-owner`, `owner AND (`, `'`, `\`, `&|!:*`, `a:*`, "ÿ", "🙂"} {
			hits(t, c, acc.Slug, q(text))
		}
		if got := hits(t, c, acc.Slug, q(`"Owner" ( * :`)); len(got) != 1 {
			t.Errorf("quoted owner: %v", got)
		}
		for query, field := range map[string]string{
			q(strings.Repeat("a", 201)):               "q",
			q("x") + "&kind=nothing":                  "kind",
			q("x") + "&project_id=-1":                 "project_id",
			q("x") + "&from=yesterday":                "from",
			q("x") + "&from=2026-02-02&to=2026-02-01": "to",
			q("x") + "&limit=500":                     "limit",
			q("x") + "&page=0":                        "page",
		} {
			r := c.Get("/api/v1/" + acc.Slug + "/search?" + query)
			if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()[field] == "" {
				t.Errorf("%s: %d %s", query, r.Status, r.Body)
			}
		}
		if r := c.Get("/" + acc.Slug + "/search?" + q(strings.Repeat("a", 201))); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("page, long q: %d", r.Status)
		}
	})
}

// A reindex restores an emptied index.
func TestReindexRestores(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		e.NewUser(acc, actor.RoleMember)
		e.Settle()
		c := e.As(acc.Owner)
		before := hits(t, c, acc.Slug, q("member"))
		if len(before) != 1 {
			t.Fatalf("before: %v", before)
		}
		ctx := context.Background()
		// Empty the account's index as a lost disk would.
		if err := e.App.Search.Erase(ctx, acc.ID); err != nil {
			t.Fatal(err)
		}
		if got := hits(t, c, acc.Slug, q("member")); len(got) != 0 {
			t.Fatalf("emptied: %v", got)
		}
		n, err := e.App.Search.Reindex(ctx, acc.ID)
		if err != nil || n < 2 {
			t.Fatalf("reindex: %d %v", n, err)
		}
		if got := hits(t, c, acc.Slug, q("member")); len(got) != 1 {
			t.Fatalf("after: %v", got)
		}
	})
}

// Erasing a person purges their card from the index in the erasure's transaction, and what
// the index refreshes afterwards does not bring it back (identity's erasure, in the same
// transaction, ends the membership).
func TestErasurePurges(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		c := e.As(acc.Owner)
		r := c.Post("/api/v1/"+acc.Slug+"/users", map[string]any{"name": "Zoltán Quist", "email": "zq@" + acc.Slug + ".test", "role": "member"})
		if r.Status != http.StatusCreated {
			t.Fatalf("invite: %d %s", r.Status, r.Body)
		}
		var inv struct {
			User struct{ ID int64 } `json:"user"`
		}
		r.JSON(t, &inv)
		e.Settle()
		if got := hits(t, c, acc.Slug, q("zoltan")); len(got) != 1 {
			t.Fatalf("before: %v", got)
		}
		ctx := context.Background()
		s := hooks.Subject{AccountID: acc.ID, UserID: inv.User.ID, Email: "zq@" + acc.Slug + ".test", Name: "Zoltán Quist"}
		pd := search.PersonalData{DB: e.App.DB}
		if cats, err := pd.Describe(ctx, s); err != nil || len(cats) != 1 || cats[0].Count != 1 {
			t.Fatalf("describe: %+v %v", cats, err)
		}
		err := e.App.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if err := pd.Erase(ctx, tx, s, hooks.Erasure{}); err != nil {
				return err
			}
			return identity.PersonalData{DB: e.App.DB}.Erase(ctx, tx, s, hooks.Erasure{})
		})
		if err != nil {
			t.Fatal(err)
		}
		if got := hits(t, c, acc.Slug, q("zoltan")); len(got) != 0 {
			t.Errorf("right after the erasure: %v", got)
		}
		e.Settle()
		if got := hits(t, c, acc.Slug, q("zoltan")); len(got) != 0 {
			t.Errorf("after the refresh: %v", got)
		}
		if cats, err := pd.Describe(ctx, s); err != nil || cats[0].Count != 0 {
			t.Errorf("describe after: %+v %v", cats, err)
		}
	})
}

// A person who changes their own name is found by it in every account they belong to, and no
// longer by the old one.
func TestRenamedPersonFoundByNewName(t *testing.T) {
	testkit.EachShared(t, testkit.Options{}, func(t *testing.T, e *testkit.Env) {
		first, second := e.NewAccount(), e.NewAccount()
		mem := e.NewUser(first, actor.RoleMember)
		e.Join(second, mem, actor.RoleMember)
		e.Settle()
		b := e.BrowserLogin(mem)
		r := b.SubmitForm("/profile", "/profile", url.Values{"name": {"Zébulon Quenouille"}, "locale": {""}, "time_zone": {"UTC"}})
		if r.Status != http.StatusSeeOther {
			t.Fatalf("profile save: %d %s", r.Status, r.Body)
		}
		e.Settle()
		for _, acc := range []*testkit.Account{first, second} {
			if got := hits(t, e.As(acc.Owner), acc.Slug, q("zebulon")+"&kind=person"); len(got) != 1 || got[0] != "person:Zébulon Quenouille" {
				t.Errorf("%s, new name: %v", acc.Slug, got)
			}
			if got := hits(t, e.As(acc.Owner), acc.Slug, q(mem.Name)+"&kind=person"); slices.Contains(got, "person:"+mem.Name) {
				t.Errorf("%s, the card still shows the old name %q: %v", acc.Slug, mem.Name, got)
			}
		}
	})
}
