package intranet

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/app"
	"groupcamp/core/audit"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
	"groupcamp/core/search"
	"groupcamp/core/validate"
)

// Service holds the intranet's use cases: plain Go, an actor and a context in, domain errors
// out. Every query goes through db.Tenant (the account) and, for what lives in a space, through
// visibleSpaces (the person's spaces): a space, post, topic or page of a space the person is
// not in answers 404, exactly like one of another account.
type Service struct {
	DB       *bun.DB
	Notifier automation.Notifier
	// Hooks are the ports of every module: the calendar page shows the person's entries of
	// the other modules' calendar sources (approved absences from planning, tasks due).
	Hooks *hooks.Set
	// Projects is who sees a project (the projects module's hooks.ProjectAccess port): the
	// project spaces' visibility. Without it there are no project spaces.
	Projects *app.Port[hooks.ProjectAccess]
	// Now is the clock (tests move it); nil is the real one.
	Now func() time.Time
}

// projects is the ProjectAccess port when a module provides it.
func (s *Service) projects() (hooks.ProjectAccess, bool) {
	if s.Projects == nil || !s.Projects.Has() {
		return nil, false
	}
	return s.Projects.Get(), true
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return db.Now()
}

func (s *Service) tenant(accountID int64) db.Tenant { return db.For(s.DB, accountID) }

// seesAll: the account's administrators (intranet.manage) see every space; the others the
// company's spaces and those of their teams.
func seesAll(a *actor.Actor) bool { return a.May("intranet", "manage") }

// visibleSpaces restricts q (whose space id column is col) to the spaces the actor may see:
// the company's and their teams' (administrators: all of them; clients: none), and the spaces
// of the projects the projects module says they see (projectspaces.go) — a client's only when
// shared with clients. One subquery, so that permissions stay in the query.
func (s *Service) visibleSpaces(q *bun.SelectQuery, a *actor.Actor, col string) *bun.SelectQuery {
	return q.Where(col+" IN (?)", s.visibleSpaceIDs(a))
}

// visibleSpaceIDs selects the ids of the spaces the actor may see.
func (s *Service) visibleSpaceIDs(a *actor.Actor) *bun.SelectQuery {
	q := s.DB.NewSelect().TableExpr("intranet_spaces AS vs").Column("vs.id").Where("vs.account_id = ?", a.AccountID())
	return q.WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		switch {
		case !a.May("intranet", "read"):
			// Clients (and any role without the intranet) see no company or team space.
		case seesAll(a):
			q = q.WhereOr("vs.project_id IS NULL")
		default:
			q = q.WhereOr("vs.project_id IS NULL AND (vs.team_id IS NULL OR vs.team_id IN "+
				"(SELECT tm.team_id FROM team_members AS tm WHERE tm.account_id = ? AND tm.user_id = ?))", a.AccountID(), a.UserID)
		}
		if pa, ok := s.projects(); ok {
			if pa.Client(a) {
				q = q.WhereOr("vs.project_id IN (?) AND vs.shared_with_clients = ?", pa.Seen(a), true)
			} else {
				q = q.WhereOr("vs.project_id IN (?)", pa.Seen(a))
			}
		} else {
			q = q.WhereOr("1 = 0") // a group is never empty
		}
		return q
	})
}

// authorName joins the name of the person in column col (a user id) as the account shows it.
func authorName(q *bun.SelectQuery, col, as string) *bun.SelectQuery {
	return q.ColumnExpr("(SELECT u.name FROM users AS u WHERE u.id = " + col + ") AS " + as)
}

// record writes an audit entry in the change's transaction.
func record(ctx context.Context, tn db.Tenant, a *actor.Actor, action, kind string, id int64, details any) error {
	return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, action, kind+":"+strconv.FormatInt(id, 10), details)
}

// touch tells the search index, in the change's transaction, that refs changed.
func touch(ctx context.Context, tn db.Tenant, refs ...hooks.Ref) error {
	return search.Touch(ctx, tn.Unscoped(), tn.AccountID, refs...)
}

// checkTitle validates a required one-line title.
func checkTitle(f *problem.Fields, field, v string, max int) string {
	v = strings.TrimSpace(v)
	if why := validate.Name(v, max); why != "" {
		f.Add(field, why)
	}
	return v
}

// checkBody validates Markdown text: required, at most max bytes (413 beyond: the request as a
// whole is too large, whatever else it says), no control characters but line breaks and tabs.
func checkBody(f *problem.Fields, field, v string, max int) (string, error) {
	if len(v) > max {
		p := problem.TooLarge(fmt.Sprintf("%s is %d bytes; at most %d", field, len(v), max))
		p.Errors = []problem.FieldError{{Field: field, Message: fmt.Sprintf("must be at most %d bytes", max)}}
		return "", p
	}
	if why := validate.Text(v, max, true); why != "" {
		f.Add(field, why)
	}
	return strings.TrimRight(v, " \t\r\n"), nil
}

// ---- Spaces ----

// spaceQuery selects the spaces the actor may see, with their team's name.
func (s *Service) spaceQuery(tn db.Tenant, a *actor.Actor, out any) *bun.SelectQuery {
	q := tn.Select(out).ColumnExpr("s.*").ColumnExpr("(SELECT tt.name FROM teams AS tt WHERE tt.id = s.team_id) AS team_name")
	return s.visibleSpaces(q, a, "s.id")
}

// Spaces lists the spaces the actor may see: the company's first, then by name.
func (s *Service) Spaces(ctx context.Context, a *actor.Actor) ([]Space, error) {
	out := []Space{}
	err := s.spaceQuery(s.tenant(a.AccountID()), a, &out).Where("s.project_id IS NULL").OrderExpr("s.team_id IS NOT NULL, s.name, s.id").Limit(int64(MaxSpaces)).Scan(ctx)
	return out, err
}

// Space is one space the actor may see (404 otherwise).
func (s *Service) Space(ctx context.Context, a *actor.Actor, id int64) (Space, error) {
	return s.space(ctx, s.tenant(a.AccountID()), a, id)
}

func (s *Service) space(ctx context.Context, tn db.Tenant, a *actor.Actor, id int64) (Space, error) {
	var sp Space
	err := s.spaceQuery(tn, a, &sp).Where("s.id = ?", id).Scan(ctx)
	if db.IsNotFound(err) {
		return sp, problem.NotFound()
	}
	return sp, err
}

// CreateSpace creates a space (administrators): the company's, or a team's.
func (s *Service) CreateSpace(ctx context.Context, a *actor.Actor, in SpaceInput) (Space, error) {
	if !a.May("intranet", "manage") {
		return Space{}, problem.Forbidden("Only the account's administrators create spaces.")
	}
	var f problem.Fields
	name := checkTitle(&f, "name", in.Name, MaxName)
	if why := validate.Text(in.Description, MaxText, false); why != "" {
		f.Add("description", why)
	}
	tn := s.tenant(a.AccountID())
	if in.TeamID != nil {
		n, err := tn.SelectFrom("teams", "tt").Where("tt.id = ?", *in.TeamID).Count(ctx)
		if err != nil {
			return Space{}, err
		}
		f.Check(n == 1, "team_id", "is not a team of this account")
	}
	if err := f.Err(); err != nil {
		return Space{}, err
	}
	now := s.now()
	by := a.UserID
	sp := Space{Name: name, Description: strings.TrimSpace(in.Description), TeamID: in.TeamID, CreatedBy: &by, CreatedAt: now, UpdatedAt: now}
	err := tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		n, err := tn.SelectFrom("intranet_spaces", "s").Count(ctx)
		if err != nil {
			return err
		}
		if n >= MaxSpaces {
			return problem.Conflict("name", fmt.Sprintf("an account has at most %d spaces", MaxSpaces))
		}
		if _, err := tn.Insert(&sp).Exec(ctx); err != nil {
			return err
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindSpace, ID: sp.ID}); err != nil {
			return err
		}
		return record(ctx, tn, a, "intranet.space_created", "space", sp.ID, map[string]any{"name": sp.Name, "team_id": sp.TeamID})
	})
	if err != nil {
		return Space{}, err
	}
	return s.space(ctx, tn, a, sp.ID)
}

// audience is the people of a space: every active colleague (not clients) for the company's,
// the active members of the team for a team's, whoever sees the project for a project's
// (hooks.ProjectAccess.Viewers: every colleague for an open project; its clients once shared).
func (s *Service) audience(ctx context.Context, idb bun.IDB, sp Space) ([]Reader, error) {
	out := []Reader{}
	q := idb.NewSelect().TableExpr("memberships AS m").Join("JOIN users AS u ON u.id = m.user_id").
		ColumnExpr("m.user_id, u.name").
		Where("m.account_id = ? AND m.status = 'active' AND m.deactivated_at IS NULL AND m.role <> ?", sp.AccountID, actor.RoleClient)
	if sp.TeamID != nil {
		q = q.Where("m.user_id IN (SELECT tm.user_id FROM team_members AS tm WHERE tm.account_id = ? AND tm.team_id = ?)", sp.AccountID, *sp.TeamID)
	}
	if sp.ProjectID != nil {
		// A project's space: whoever sees the project (everyone for an open one), its
		// clients too once shared.
		pa, ok := s.projects()
		if !ok {
			return out, nil
		}
		q = idb.NewSelect().TableExpr("memberships AS m").Join("JOIN users AS u ON u.id = m.user_id").ColumnExpr("m.user_id, u.name").
			Where("m.account_id = ? AND m.status = 'active' AND m.deactivated_at IS NULL AND m.user_id IN (?)", sp.AccountID, pa.Viewers(idb, sp.AccountID, *sp.ProjectID, sp.SharedWithClients))
	}
	err := q.OrderExpr("u.name, m.user_id").Limit(int64(MaxReaders)).Scan(ctx, &out)
	return out, err
}

// teamChoices are the account's teams as [id, name] (for the new space's select).
func (s *Service) teamChoices(ctx context.Context, a *actor.Actor) ([][]string, error) {
	var teams []struct {
		ID   int64  `bun:"id"`
		Name string `bun:"name"`
	}
	if err := s.tenant(a.AccountID()).SelectFrom("teams", "tt").ColumnExpr("tt.id, tt.name").OrderExpr("tt.name").Limit(500).Scan(ctx, &teams); err != nil {
		return nil, err
	}
	out := make([][]string, len(teams))
	for i, t := range teams {
		out[i] = []string{strconv.FormatInt(t.ID, 10), t.Name}
	}
	return out, nil
}
