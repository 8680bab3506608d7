package intranet

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
)

// Person is a colleague in the directory: who they are in the account, and their teams.
type Person struct {
	UserID  int64    `bun:"user_id" json:"user_id"`
	Name    string   `bun:"name" json:"name"`
	Email   string   `bun:"email" json:"email" format:"email"`
	Role    string   `bun:"role" json:"role"`
	Company string   `bun:"company" json:"company"`
	Teams   []string `bun:"-" json:"teams"`
}

// DirectoryFilter narrows the directory: a part of a name or email, a team.
type DirectoryFilter struct {
	Query  string
	TeamID int64
}

// directoryQuery selects the account's active colleagues (clients are guests, not colleagues).
func directoryQuery(tn db.Tenant, f DirectoryFilter) *bun.SelectQuery {
	q := tn.SelectFrom("memberships", "m").Join("JOIN users AS u ON u.id = m.user_id").
		ColumnExpr("m.user_id, u.name, u.email, m.role").
		ColumnExpr("(SELECT co.name FROM companies AS co WHERE co.id = m.company_id) AS company").
		Where("m.status = ? AND m.deactivated_at IS NULL AND m.role <> ?", identity.StatusActive, actor.RoleClient)
	if f.Query != "" {
		like := "%" + strings.ToLower(likeEscape(f.Query)) + "%"
		q = q.Where("(LOWER(u.name) LIKE ? ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\')", like, like)
	}
	if f.TeamID > 0 {
		q = q.Where("m.user_id IN (SELECT tm.user_id FROM team_members AS tm WHERE tm.account_id = m.account_id AND tm.team_id = ?)", f.TeamID)
	}
	return q
}

// Directory lists the account's colleagues by name, in pages, with their teams.
func (s *Service) Directory(ctx context.Context, a *actor.Actor, p api.KeyPage, f DirectoryFilter) (api.List[Person], error) {
	tn := s.tenant(a.AccountID())
	out := []Person{}
	q := directoryQuery(tn, f).OrderExpr("u.name, m.user_id").Limit(int64(p.Limit + 1))
	if p.After > 0 {
		q = q.Where("(u.name > ? OR (u.name = ? AND m.user_id > ?))", p.Key, p.Key, p.After)
	}
	if err := q.Scan(ctx, &out); err != nil {
		return api.List[Person]{}, err
	}
	res := api.List[Person]{Items: out}
	if len(out) > p.Limit {
		res.Items = out[:p.Limit]
		last := res.Items[p.Limit-1]
		res.NextCursor = api.KeyCursor(last.Name, last.UserID)
	}
	return res, s.teamsOf(ctx, tn, res.Items)
}

// teamsOf fills the people's teams' names.
func (s *Service) teamsOf(ctx context.Context, tn db.Tenant, people []Person) error {
	if len(people) == 0 {
		return nil
	}
	ids := make([]int64, len(people))
	for i, p := range people {
		ids[i] = p.UserID
		people[i].Teams = []string{}
	}
	var rows []struct {
		UserID int64  `bun:"user_id"`
		Name   string `bun:"name"`
	}
	if err := tn.SelectFrom("team_members", "tm").Join("JOIN teams AS tt ON tt.id = tm.team_id").ColumnExpr("tm.user_id, tt.name").
		Where("tm.user_id IN (?)", bun.In(ids)).OrderExpr("tt.name").Scan(ctx, &rows); err != nil {
		return err
	}
	at := map[int64]int{}
	for i, p := range people {
		at[p.UserID] = i
	}
	for _, r := range rows {
		people[at[r.UserID]].Teams = append(people[at[r.UserID]].Teams, r.Name)
	}
	return nil
}

// Colleague is one person of the directory (404 for anyone else).
func (s *Service) Colleague(ctx context.Context, a *actor.Actor, userID int64) (Person, error) {
	tn := s.tenant(a.AccountID())
	var p []Person
	if err := directoryQuery(tn, DirectoryFilter{}).Where("m.user_id = ?", userID).Scan(ctx, &p); err != nil {
		return Person{}, err
	}
	if len(p) == 0 {
		return Person{}, problem.NotFound()
	}
	return p[0], s.teamsOf(ctx, tn, p)
}

// VCard is a person's card (RFC 6350): name, email, organization and role.
func VCard(p Person) string {
	esc := strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\n", `\n`, "\r", "")
	var b strings.Builder
	b.WriteString("BEGIN:VCARD\r\nVERSION:4.0\r\n")
	fmt.Fprintf(&b, "FN:%s\r\n", esc.Replace(p.Name))
	fmt.Fprintf(&b, "EMAIL;TYPE=work:%s\r\n", esc.Replace(p.Email))
	if p.Company != "" {
		fmt.Fprintf(&b, "ORG:%s\r\n", esc.Replace(p.Company))
	}
	if len(p.Teams) > 0 {
		fmt.Fprintf(&b, "CATEGORIES:%s\r\n", esc.Replace(strings.Join(p.Teams, " / ")))
	}
	b.WriteString("END:VCARD\r\n")
	return b.String()
}
