package intranet

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/search"
)

// KindProfile is a colleague's directory profile in the search: their name, with their job
// title, skills and location as its text, so that the shell's search box finds "who knows
// figma". Colleagues only (audience "staff", as core's people): a client finds no one.
// Refreshed with each profile change, and with identity's events that make a person appear in
// or leave the directory (deactivated, reactivated, role changed, renamed).
const KindProfile = "profile"

// profileDocuments offers the profiles of the account's colleagues (those of ids when not all)
// that say something (a title, a location or skills).
func (src searchSource) profileDocuments(ctx context.Context, tn db.Tenant, all bool, ids []int64, fn func(hooks.Document) error) error {
	if !all && len(ids) == 0 {
		return nil
	}
	q := tn.SelectFrom("directory_profiles", "dp").Join("JOIN users AS u ON u.id = dp.user_id").
		ColumnExpr("dp.user_id, u.name, dp.title, dp.location, dp.updated_at").
		Where("dp.user_id IN (?)", colleagueIDs(tn)).OrderExpr("dp.user_id")
	if !all {
		q = q.Where("dp.user_id IN (?)", bun.In(ids))
	}
	var rows []struct {
		UserID    int64     `bun:"user_id"`
		Name      string    `bun:"name"`
		Title     string    `bun:"title"`
		Location  string    `bun:"location"`
		UpdatedAt time.Time `bun:"updated_at"`
	}
	if err := q.Scan(ctx, &rows); err != nil {
		return err
	}
	if len(rows) == 0 {
		return nil
	}
	users := make([]int64, len(rows))
	for i, r := range rows {
		users[i] = r.UserID
	}
	var skills []struct {
		UserID int64  `bun:"user_id"`
		Skill  string `bun:"skill"`
	}
	if err := tn.SelectFrom("directory_skills", "ds").ColumnExpr("ds.user_id, ds.skill").Where("ds.user_id IN (?)", bun.In(users)).
		OrderExpr("ds.user_id, ds.skill").Scan(ctx, &skills); err != nil {
		return err
	}
	by := map[int64][]string{}
	for _, s := range skills {
		by[s.UserID] = append(by[s.UserID], s.Skill)
	}
	for _, r := range rows {
		parts := []string{}
		for _, s := range []string{r.Title, strings.Join(by[r.UserID], ", "), r.Location} {
			if s != "" {
				parts = append(parts, s)
			}
		}
		if len(parts) == 0 {
			continue
		}
		if err := fn(hooks.Document{AccountID: tn.AccountID, Kind: KindProfile, ID: r.UserID, AuthorID: r.UserID, Title: r.Name,
			Body: strings.Join(parts, " · "), URL: "/intranet/people/" + strconv.FormatInt(r.UserID, 10), UpdatedAt: r.UpdatedAt,
			Audience: []string{search.KeyStaff}}); err != nil {
			return err
		}
	}
	return nil
}

// onPersonChanged refreshes the profile document of the person an identity event names.
func onPersonChanged(ctx context.Context, tx bun.Tx, ev *events.Event) error {
	var p struct {
		UserID int64 `json:"user_id"`
	}
	if err := ev.Decode(&p); err != nil || p.UserID == 0 || ev.AccountID == 0 {
		return nil // nothing names a person: nothing to refresh
	}
	return search.Touch(ctx, tx, ev.AccountID, hooks.Ref{Kind: KindProfile, ID: p.UserID})
}

// personEvents are identity's events after which a person's profile document may change.
var personEvents = []string{"user.role_changed", "user.deactivated", "user.reactivated", identity.EventRenamed}
