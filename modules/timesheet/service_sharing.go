package timesheet

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	projects "groupcamp/modules/projects/contract"
)

// Sharing a project's time report with its client company. The project's leader or an
// administrator turns it on (time_report_shares, one row per shared project, naming the
// company it is shared with); then the client users of that company read, in the extranet's
// time section (a hooks.PortalSection), the project's approved billable time totalled by ISO
// week — and by person when the switch shows names — and nothing else: no rates, no amounts,
// no notes, no other project. The share holds while the project's client company is the one it
// was shared with: a project given to another client is not shared with the new one until
// someone shares it again. Everyone else gets a 404 from the portal's pages.

// ShareWeeks is how many weeks back the client's report goes.
const ShareWeeks = 53

// TimeShare is whether a project's time report is shared with its client company.
type TimeShare struct {
	bun.BaseModel `bun:"table:time_report_shares,alias:trs"`

	AccountID   int64     `bun:"account_id,pk" json:"-"`
	ProjectID   int64     `bun:"project_id,pk" json:"project_id" example:"3"`
	CompanyID   int64     `bun:"company_id" json:"company_id" example:"4"`
	ShowNames   bool      `bun:"show_names" json:"show_names"`
	UpdatedAt   time.Time `bun:"updated_at" json:"updated_at"`
	Shared      bool      `bun:"-" json:"shared"`
	ProjectName string    `bun:"-" json:"project_name" example:"Website"`
	CompanyName string    `bun:"-" json:"company_name" example:"Acme"`
}

// ShareInput turns a project's sharing on or off, with or without the people's names.
type ShareInput struct {
	Shared    *bool `json:"shared" openapi:"required" example:"true"`
	ShowNames bool  `json:"show_names" example:"false"`
}

// ClientWeek is a week of a shared report: the approved billable minutes, and per person when
// the names are shown.
type ClientWeek struct {
	Week    string         `json:"week" example:"2026-W49"`
	Minutes int64          `json:"minutes" example:"960"`
	People  []ClientPerson `json:"people,omitempty"`
}

// ClientPerson is a person's time of a week in a shared report.
type ClientPerson struct {
	Name    string `json:"name" example:"Ada Lovelace"`
	Minutes int64  `json:"minutes" example:"480"`
}

// ClientReport is a shared project's report as its client reads it.
type ClientReport struct {
	ProjectID   int64        `json:"project_id"`
	ProjectName string       `json:"project_name"`
	ShowNames   bool         `json:"show_names"`
	Weeks       []ClientWeek `json:"weeks"`
	Minutes     int64        `json:"minutes"`
}

// shareFacts are a project's facts for sharing (404 when the account has no such project).
func (s *Service) shareFacts(ctx context.Context, accountID, projectID int64) (projects.ProjectFacts, error) {
	f, err := s.Reports.Get().Facts(ctx, accountID, []int64{projectID})
	if err != nil {
		return projects.ProjectFacts{}, err
	}
	pf, ok := f.Projects[projectID]
	if !ok {
		return pf, problem.NotFound()
	}
	return pf, nil
}

// mayShare: the project's leader and the administrators.
func mayShare(a *actor.Actor, pf projects.ProjectFacts) error {
	if !admin(a) && pf.LeaderID != a.UserID {
		return problem.Forbidden("only the project's leader and the administrators share its time report")
	}
	return nil
}

// TimeShare is whether the project's time report is shared with its client company.
func (s *Service) TimeShare(ctx context.Context, a *actor.Actor, projectID int64) (*TimeShare, error) {
	pf, err := s.shareFacts(ctx, a.AccountID(), projectID)
	if err != nil {
		return nil, err
	}
	if err := mayShare(a, pf); err != nil {
		return nil, err
	}
	sh, err := s.store.share(ctx, s.tenant(a.AccountID()), projectID)
	if err != nil {
		return nil, err
	}
	return shareView(sh, projectID, pf), nil
}

// shareView is a share as read: shared only with the project's client of now.
func shareView(sh *TimeShare, projectID int64, pf projects.ProjectFacts) *TimeShare {
	out := &TimeShare{ProjectID: projectID, CompanyID: pf.CompanyID, ProjectName: pf.Name, CompanyName: pf.CompanyName}
	if sh != nil {
		out.ShowNames, out.UpdatedAt = sh.ShowNames, sh.UpdatedAt
		out.Shared = pf.CompanyID != 0 && sh.CompanyID == pf.CompanyID
	}
	return out
}

// SetTimeShare shares the project's time report with its client company, or stops; audited.
// A project without a client company cannot be shared (422 on shared).
func (s *Service) SetTimeShare(ctx context.Context, a *actor.Actor, projectID int64, in ShareInput) (*TimeShare, error) {
	pf, err := s.shareFacts(ctx, a.AccountID(), projectID)
	if err != nil {
		return nil, err
	}
	if err := mayShare(a, pf); err != nil {
		return nil, err
	}
	var f problem.Fields
	f.Check(in.Shared != nil, "shared", "is required: true or false")
	if in.Shared != nil && *in.Shared {
		f.Check(pf.CompanyID != 0, "shared", "the project has no client company to share it with")
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	var out *TimeShare
	err = s.tenant(a.AccountID()).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		action := "timesheet.report.unshared"
		if *in.Shared {
			action = "timesheet.report.shared"
			sh := &TimeShare{AccountID: tn.AccountID, ProjectID: projectID, CompanyID: pf.CompanyID, ShowNames: in.ShowNames, UpdatedAt: s.now()}
			if err := s.store.putShare(ctx, tn, sh); err != nil {
				return err
			}
			out = shareView(sh, projectID, pf)
		} else {
			if err := s.store.deleteShare(ctx, tn, projectID); err != nil {
				return err
			}
			out = shareView(nil, projectID, pf)
		}
		return audit.Record(ctx, tn.Unscoped(), a, tn.AccountID, action, "project:"+strconv.FormatInt(projectID, 10),
			map[string]any{"project": pf.Name, "company": pf.CompanyName, "show_names": in.ShowNames})
	})
	return out, err
}

// clientShare finds a project shared with the client's company: 404 for anyone else, for a
// project not shared, or shared with a company that is no longer its client.
func (s *Service) clientShare(ctx context.Context, a *actor.Actor, projectID int64) (*TimeShare, projects.ProjectFacts, error) {
	var pf projects.ProjectFacts
	if a.Role != actor.RoleClient || a.CompanyID == 0 {
		return nil, pf, problem.NotFound()
	}
	sh, err := s.store.share(ctx, s.tenant(a.AccountID()), projectID)
	if err != nil || sh == nil || sh.CompanyID != a.CompanyID {
		return nil, pf, cmpErr(err, problem.NotFound())
	}
	if pf, err = s.shareFacts(ctx, a.AccountID(), projectID); err != nil {
		return nil, pf, err
	}
	if pf.CompanyID != a.CompanyID {
		return nil, pf, problem.NotFound()
	}
	return sh, pf, nil
}

// cmpErr is err, else alt.
func cmpErr(err, alt error) error {
	if err != nil {
		return err
	}
	return alt
}

// ClientShares are the projects shared with the client's company, by name (404 for anyone
// but a client of a company).
func (s *Service) ClientShares(ctx context.Context, a *actor.Actor) ([]TimeShare, error) {
	if a.Role != actor.RoleClient || a.CompanyID == 0 {
		return nil, problem.NotFound()
	}
	tn := s.tenant(a.AccountID())
	shares, err := s.store.companyShares(ctx, tn, a.CompanyID)
	if err != nil || len(shares) == 0 {
		return []TimeShare{}, err
	}
	pids := make([]int64, len(shares))
	for i, sh := range shares {
		pids[i] = sh.ProjectID
	}
	facts, err := s.Reports.Get().Facts(ctx, tn.AccountID, pids)
	if err != nil {
		return nil, err
	}
	out := []TimeShare{}
	for _, sh := range shares {
		if pf, ok := facts.Projects[sh.ProjectID]; ok && pf.CompanyID == a.CompanyID {
			out = append(out, *shareView(&sh, sh.ProjectID, pf))
		}
	}
	slices.SortFunc(out, func(x, y TimeShare) int { return strings.Compare(x.ProjectName, y.ProjectName) })
	return out, nil
}

// ClientReport is a shared project's approved billable time of the last ShareWeeks weeks by
// week (newest first), by person too when the share shows names.
func (s *Service) ClientReport(ctx context.Context, a *actor.Actor, projectID int64) (*ClientReport, error) {
	sh, pf, err := s.clientShare(ctx, a, projectID)
	if err != nil {
		return nil, err
	}
	tn := s.tenant(a.AccountID())
	to := WeekOf(s.now())
	from := to
	for range ShareWeeks - 1 {
		from = from.Prev()
	}
	days := from.Days()
	rows, err := s.store.shareTotals(ctx, tn, projectID, days[0], to.Days()[6])
	if err != nil {
		return nil, err
	}
	var users []int64
	for _, r := range rows {
		if r.UserID != 0 && !slices.Contains(users, r.UserID) {
			users = append(users, r.UserID)
		}
	}
	approved, err := s.store.approvedWeeks(ctx, tn, users, from.String(), to.String())
	if err != nil {
		return nil, err
	}
	names := map[int64]string{}
	if sh.ShowNames {
		if names, err = s.store.personNames(ctx, tn, users); err != nil {
			return nil, err
		}
		names[0] = FormerColleague
	}
	out := &ClientReport{ProjectID: projectID, ProjectName: pf.Name, ShowNames: sh.ShowNames, Weeks: []ClientWeek{}}
	byWeek := map[string]*ClientWeek{}
	byPerson := map[string]map[int64]int64{}
	for _, r := range rows {
		day, _ := ParseDay(r.Day)
		week := WeekOf(day).String()
		if r.UserID != 0 && !approved[weekOf{r.UserID, week}] {
			continue // not approved yet: not the client's to read
		}
		w := byWeek[week]
		if w == nil {
			w = &ClientWeek{Week: week}
			byWeek[week], byPerson[week] = w, map[int64]int64{}
		}
		w.Minutes += r.Minutes
		byPerson[week][r.UserID] += r.Minutes
		out.Minutes += r.Minutes
	}
	for week, w := range byWeek {
		if sh.ShowNames {
			for uid, m := range byPerson[week] {
				w.People = append(w.People, ClientPerson{Name: names[uid], Minutes: m})
			}
			slices.SortFunc(w.People, func(x, y ClientPerson) int { return strings.Compare(x.Name, y.Name) })
		}
		out.Weeks = append(out.Weeks, *w)
	}
	slices.SortFunc(out.Weeks, func(x, y ClientWeek) int { return strings.Compare(y.Week, x.Week) })
	return out, nil
}
