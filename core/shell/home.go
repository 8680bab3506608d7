package shell

import (
	"context"
	"database/sql"
	"errors"
	"html/template"
	"slices"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
)

// The account home is "My work": the sections the modules fill for the viewer (hooks.HomeSection:
// my tasks, my week...) and what changed since the viewer's last visit (hooks.ActivitySource),
// above the account's figures, which only those who run the account see.

// visitGap is how long without opening the home makes the next opening a new visit.
const visitGap = 30 * time.Minute

// firstVisitWindow is how far back "what changed" looks on a person's first visit.
const firstVisitWindow = 7 * 24 * time.Hour

// maxChanges is how many lines "what changed" shows.
const maxChanges = 15

// homeData is what the account home shows.
type homeData struct {
	Account  *identity.Account
	Counts   *identity.Counts // nil unless the viewer runs the account
	Role     string
	Sections []template.HTML
	Changes  []hooks.ActivityEntry
	Since    time.Time
	First    bool // no earlier visit: "the last 7 days"
}

type homeVisit struct {
	bun.BaseModel `bun:"table:home_visits"`

	AccountID  int64      `bun:"account_id,pk"`
	UserID     int64      `bun:"user_id,pk"`
	LastSeenAt time.Time  `bun:"last_seen_at"`
	SinceAt    *time.Time `bun:"since_at"`
}

// visit records this visit and returns the time "what changed" starts from (zero on the
// first visit).
func (s *Shell) visit(ctx context.Context, accountID, userID int64, now time.Time) (time.Time, error) {
	var since time.Time
	err := db.For(s.DB, accountID).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		var v homeVisit
		err := tx.Select(&v).Where("user_id = ?", userID).Scan(ctx)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			v = homeVisit{UserID: userID, LastSeenAt: now}
			_, err = tx.Insert(&v).On("CONFLICT (account_id, user_id) DO NOTHING").Exec(ctx)
			return err
		case err != nil:
			return err
		}
		if now.Sub(v.LastSeenAt) > visitGap {
			last := v.LastSeenAt
			v.SinceAt = &last
		}
		if v.SinceAt != nil {
			since = *v.SinceAt
		}
		v.LastSeenAt = now
		_, err = tx.Update(&v).Column("last_seen_at", "since_at").Where("user_id = ?", userID).Exec(ctx)
		return err
	})
	return since, err
}

func (s *Shell) home(c *fiber.Ctx) error {
	a := actor.From(c)
	ctx := c.UserContext()
	// A client's home is the client portal, when a module serves one and the account has it on.
	if a.Role == actor.RoleClient && s.Hooks != nil && s.Hooks.PortalHome != "" && a.Account != nil {
		if on, err := s.Hooks.Enabled(ctx, a.Account.ID, s.Hooks.PortalModule); err != nil {
			return err
		} else if on {
			return c.Redirect("/"+a.Account.Slug+s.Hooks.PortalHome, fiber.StatusSeeOther)
		}
	}
	acc, err := s.People.Account(ctx, a)
	if err != nil {
		return err
	}
	d := homeData{Account: acc, Role: a.Role}
	// The head counts are the account's business: those who invite people see them, clients
	// and colleagues do not.
	if a.May("users", "invite") {
		if d.Counts, err = s.People.CountsFor(ctx, acc.ID); err != nil {
			return err
		}
	}
	now := db.Now()
	if a.UserID != 0 && a.PlatformRole == "" {
		if d.Since, err = s.visit(ctx, acc.ID, a.UserID, now); err != nil {
			return err
		}
	}
	if d.Since.IsZero() {
		d.Since, d.First = now.Add(-firstVisitWindow), true
	}
	p := s.Web.NewPage(c, "home.title")
	if s.Hooks != nil {
		sections := slices.Clone(s.Hooks.Home)
		slices.SortStableFunc(sections, func(x, y hooks.HomeSection) int { return x.Order - y.Order })
		for _, sec := range sections {
			if on, err := s.Hooks.Enabled(ctx, acc.ID, sec.Module); err != nil || !on {
				continue // a module the account has off shows nothing
			}
			html, err := sec.Render(c, p)
			if err != nil {
				return err
			}
			if html != "" {
				d.Sections = append(d.Sections, html)
			}
		}
		for _, src := range s.Hooks.Activity {
			if on, err := s.Hooks.Enabled(ctx, acc.ID, src.Module); err != nil || !on {
				continue
			}
			entries, err := src.Hook.Activity(ctx, a, d.Since, maxChanges)
			if err != nil {
				return err
			}
			d.Changes = append(d.Changes, entries...)
		}
		slices.SortStableFunc(d.Changes, func(x, y hooks.ActivityEntry) int { return y.At.Compare(x.At) })
		if len(d.Changes) > maxChanges {
			d.Changes = d.Changes[:maxChanges]
		}
	}
	p.Data = d
	return s.Web.Render(c, "shell/home", p)
}
