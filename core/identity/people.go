package identity

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/audit"
	"groupcamp/core/auth/password"
	"groupcamp/core/db"
	"groupcamp/core/events"
	"groupcamp/core/mail"
	"groupcamp/core/problem"
	"groupcamp/core/token"
	"groupcamp/core/validate"
)

// Member is a person as seen from one account.
type Member struct {
	ID        int64     `json:"id" bun:"id"`
	Name      string    `json:"name" bun:"name"`
	Email     string    `json:"email" bun:"email" format:"email"`
	Role      string    `json:"role" bun:"role" enum:"owner,admin,manager,member,client"`
	Status    string    `json:"status" bun:"status"`
	Active    bool      `json:"active" bun:"-"`
	CompanyID int64     `json:"company_id" bun:"company_id"`
	CreatedAt time.Time `json:"created_at" bun:"created_at"`

	DeactivatedAt *time.Time `json:"deactivated_at,omitempty" bun:"deactivated_at"`
}

func (s *Service) members(a *actor.Actor) *bun.SelectQuery {
	return s.DB.NewSelect().TableExpr("memberships AS m").
		Join("JOIN users AS u ON u.id = m.user_id").
		ColumnExpr("u.id, "+NameSQL("m", "u")+" AS name, u.email, m.role, m.status, m.company_id, m.created_at, m.deactivated_at").
		Where("m.account_id = ?", a.AccountID())
}

// MemberFilter narrows ListMembers.
type MemberFilter struct {
	Query     string // name or email contains
	Role      string
	CompanyID int64 // of this company (0: any)
}

// ListMembers pages through the account's people, ordered by user id.
func (s *Service) ListMembers(ctx context.Context, a *actor.Actor, p api.Page, f MemberFilter) (api.List[Member], error) {
	var out []Member
	q := s.members(a).Where("u.id > ?", p.After).OrderExpr("u.id").Limit(int64(p.Limit + 1))
	if f.Query != "" {
		// The search is literal: % and _ typed by the user are not wildcards.
		like := "%" + likeEscaper.Replace(strings.ToLower(f.Query)) + "%"
		q = q.Where(`(LOWER(`+NameSQL("m", "u")+`) LIKE ? ESCAPE '\' OR u.email LIKE ? ESCAPE '\')`, like, like)
	}
	if f.Role != "" {
		q = q.Where("m.role = ?", f.Role)
	}
	if f.CompanyID != 0 {
		q = q.Where("m.company_id = ?", f.CompanyID)
	}
	if err := q.Scan(ctx, &out); err != nil {
		return api.List[Member]{}, err
	}
	for i := range out {
		out[i].Active = out[i].Status == StatusActive && out[i].DeactivatedAt == nil
	}
	return api.MakeList(out, p, func(m Member) int64 { return m.ID }), nil
}

var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// Member returns one person of the account, or 404.
func (s *Service) Member(ctx context.Context, a *actor.Actor, userID int64) (*Member, error) {
	var m Member
	err := s.members(a).Where("u.id = ?", userID).Scan(ctx, &m)
	if db.IsNotFound(err) {
		return nil, problem.NotFound()
	}
	m.Active = m.Status == StatusActive && m.DeactivatedAt == nil
	return &m, err
}

// UserEvent is the payload of the people events: user.invited, invitation.accepted,
// user.role_changed, user.deactivated, user.reactivated, user.renamed.
type UserEvent struct {
	UserID       int64  `json:"user_id"`
	Email        string `json:"email"`
	Name         string `json:"name"`
	Role         string `json:"role,omitempty"`
	PreviousRole string `json:"previous_role,omitempty"`
}

// EventTypes are the events this package emits.
var EventTypes = []string{"user.invited", "invitation.accepted", "user.role_changed", "user.deactivated", "user.reactivated", EventRenamed}

// EventRenamed is emitted in each account of a person who changed their own name.
const EventRenamed = "user.renamed"

// InviteInput is the body of POST /api/v1/{slug}/users.
type InviteInput struct {
	Name      string `json:"name" openapi:"required" example:"Grace Hopper"`
	Email     string `json:"email" openapi:"required" format:"email" example:"grace@example.com"`
	Role      string `json:"role" openapi:"required" enum:"admin,manager,member,client" example:"member"`
	CompanyID int64  `json:"company_id,omitempty"`
}

// Invited is the answer to an invitation: the person and the link that lets them in.
type Invited struct {
	User          *Member `json:"user"`
	InvitationURL string  `json:"invitation_url"`
}

var invitableRoles = []string{actor.RoleAdmin, actor.RoleManager, actor.RoleMember, actor.RoleClient}

// checkCompany validates that companyID belongs to the account and fits the role: staff
// belong to the internal company, clients to a client or supplier company. A zero companyID
// picks the internal company for staff.
func (s *Service) checkCompany(ctx context.Context, idb bun.IDB, accountID int64, role string, companyID int64, f *problem.Fields) int64 {
	if companyID == 0 {
		if role == actor.RoleClient {
			f.Add("company_id", "is required for a client: the client's company")
			return 0
		}
		var id int64
		if err := idb.NewSelect().Model((*Company)(nil)).Column("id").Where("account_id = ? AND kind = ?", accountID, KindInternal).
			OrderExpr("id").Limit(1).Scan(ctx, &id); err != nil {
			f.Add("company_id", "the account has no internal company")
		}
		return id
	}
	co := new(Company)
	if err := idb.NewSelect().Model(co).Where("account_id = ? AND id = ?", accountID, companyID).Scan(ctx); err != nil {
		f.Add("company_id", "no such company in this account")
		return 0
	}
	if role == actor.RoleClient && co.Kind == KindInternal {
		f.Add("company_id", "a client belongs to a client or supplier company")
	} else if role != actor.RoleClient && role != "" && co.Kind != KindInternal {
		f.Add("company_id", "colleagues belong to the internal company; invite people of other companies as clients")
	}
	return co.ID
}

// Invite adds a person to the account with an invited membership and sends them a single-use
// link. A person who already has a GroupCamp login keeps it and joins with their password.
func (s *Service) Invite(ctx context.Context, a *actor.Actor, in InviteInput) (*Invited, error) {
	out, err := s.InviteAll(ctx, a, []InviteInput{in}, nil)
	if err != nil {
		return nil, err
	}
	return out[0], nil
}

// CheckInvite validates an invitation without writing anything (an import's preview): the
// same checks as Invite, plus whether the email is already a person of the account. It
// returns the normalised input and the problem with its field errors, if any.
func (s *Service) CheckInvite(ctx context.Context, a *actor.Actor, in InviteInput) (InviteInput, error) {
	in, _, err := s.checkInvite(ctx, a, in)
	if err != nil {
		return in, err
	}
	n, err := s.DB.NewSelect().TableExpr("memberships AS m").Join("JOIN users AS u ON u.id = m.user_id").
		Where("m.account_id = ? AND u.email = ?", a.AccountID(), in.Email).Count(ctx)
	if err != nil {
		return in, err
	}
	if n > 0 {
		return in, problem.Conflict("email", "this person is already in the account")
	}
	return in, nil
}

func (s *Service) checkInvite(ctx context.Context, a *actor.Actor, in InviteInput) (InviteInput, int64, error) {
	in.Email = validate.NormalizeEmail(in.Email)
	in.Name = strings.TrimSpace(in.Name)
	var f problem.Fields
	f.Check(validate.Name(in.Name, validate.MaxName) == "", "name", validate.Name(in.Name, validate.MaxName))
	f.Check(validate.Email(in.Email) == "", "email", validate.Email(in.Email))
	f.Check(validate.OneOf(in.Role, invitableRoles...) == "", "role", validate.OneOf(in.Role, invitableRoles...))
	companyID := s.checkCompany(ctx, s.DB, a.AccountID(), in.Role, in.CompanyID, &f)
	return in, companyID, f.Err()
}

// InviteAll invites several people in one transaction (an import): either all of them are
// invited, or none (the first refusal is returned, its fields prefixed by "rows[i].").
// then, when not nil, runs last in the transaction (the caller's own audit entry).
func (s *Service) InviteAll(ctx context.Context, a *actor.Actor, ins []InviteInput, then func(ctx context.Context, tx bun.IDB) error) ([]*Invited, error) {
	companies := make([]int64, len(ins))
	for i := range ins {
		var err error
		if ins[i], companies[i], err = s.checkInvite(ctx, a, ins[i]); err != nil {
			return nil, rowErr(len(ins), i, err)
		}
	}
	links := make([]string, len(ins))
	ids := make([]int64, len(ins))
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		for i, in := range ins {
			var err error
			if ids[i], links[i], err = s.invite(ctx, tx, a, in, companies[i]); err != nil {
				return rowErr(len(ins), i, err)
			}
		}
		if then != nil {
			return then(ctx, tx)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*Invited, len(ins))
	for i := range ins {
		m, err := s.Member(ctx, a, ids[i])
		if err != nil {
			return nil, err
		}
		out[i] = &Invited{User: m, InvitationURL: links[i]}
	}
	return out, nil
}

// rowErr names the row of a batch in the fields of a problem (a single invitation keeps its
// fields as they are).
func rowErr(n, i int, err error) error {
	var p *problem.Problem
	if n == 1 || !errors.As(err, &p) {
		return err
	}
	q := *p
	q.Errors = make([]problem.FieldError, len(p.Errors))
	for j, fe := range p.Errors {
		fe.Field = "rows[" + strconv.Itoa(i) + "]." + fe.Field
		q.Errors[j] = fe
	}
	return &q
}

// invite writes one invitation in tx: the login if new, the membership, the invitation, its
// event, its email and its audit entry. It answers the person's id and their link.
func (s *Service) invite(ctx context.Context, tx bun.Tx, a *actor.Actor, in InviteInput, companyID int64) (int64, string, error) {
	raw, hash := token.New("gci_")
	link := s.BaseURL + "/invitations/" + raw
	now := s.now()
	if s.Allow != nil && in.Role != actor.RoleClient { // clients take no seat
		if err := s.Allow(ctx, tx, a.AccountID(), "users", 1); err != nil {
			return 0, "", err
		}
	}
	u := new(User)
	err := tx.NewSelect().Model(u).Where("email = ?", in.Email).Scan(ctx)
	invitedName := in.Name // shown for a login that exists already, until accepted (NameSQL)
	switch {
	case db.IsNotFound(err):
		invitedName = "" // a new login: its name is the one typed
		u = &User{Email: in.Email, Name: in.Name, TimeZone: "UTC", CreatedAt: now, UpdatedAt: now}
		if _, err := tx.NewInsert().Model(u).Exec(ctx); err != nil {
			return 0, "", conflictOr(err, "email", "this person is being invited already")
		}
	case err != nil:
		return 0, "", err
	}
	m := &Membership{AccountID: a.AccountID(), UserID: u.ID, CompanyID: companyID, Role: in.Role, Status: StatusInvited, InvitedName: invitedName, CreatedAt: now}
	if _, err := tx.NewInsert().Model(m).Exec(ctx); err != nil {
		return 0, "", conflictOr(err, "email", "this person is already in the account")
	}
	inviter := a.UserID
	inv := &Invitation{AccountID: a.AccountID(), UserID: u.ID, InvitedBy: &inviter, TokenHash: hash, ExpiresAt: now.Add(InvitationTTL), CreatedAt: now}
	if _, err := tx.NewInsert().Model(inv).Exec(ctx); err != nil {
		return 0, "", err
	}
	if _, err := events.EmitBy(ctx, tx, a.AccountID(), a.UserID, "user.invited", UserEvent{UserID: u.ID, Email: in.Email, Name: in.Name, Role: in.Role}); err != nil {
		return 0, "", err
	}
	if s.Mail != nil {
		// The invitation and its email commit together; a background job sends the email
		// (retrying while the mail server fails), and the link is also returned to the admin.
		if err := s.Mail.Enqueue(ctx, tx, mail.Queued{Kind: mail.KindInvitation, AccountID: a.AccountID(), UserID: u.ID, To: in.Email,
			Data: map[string]string{"name": in.Name, "inviter": a.Name, "account": a.Account.Name}}, map[string]string{"link": link}); err != nil {
			return 0, "", err
		}
	}
	return u.ID, link, audit.Record(ctx, tx, a, a.AccountID(), "user.invited", in.Email, map[string]string{"role": in.Role})
}

// AcceptInput is the body of POST /api/v1/invitations/{token}/accept.
type AcceptInput struct {
	Name     string `json:"name" openapi:"required" example:"Grace Hopper"`
	Password string `json:"password" openapi:"required" format:"password" example:"correct horse battery staple"`
	// Locale is the language of a new login (its emails are written in it); the API takes the
	// browser's (Accept-Language) when it is left out. A login that exists keeps its own.
	Locale string `json:"locale,omitempty" enum:"en,fr,ru" example:"fr"`
}

// AcceptInvitation activates the membership behind a link. A new person sets a name and a
// password; a person who already has one proves it with their password.
func (s *Service) AcceptInvitation(ctx context.Context, raw string, in AcceptInput, meta *actor.Actor) (*User, error) {
	inv := new(Invitation)
	if err := s.DB.NewSelect().Model(inv).Where("token_hash = ?", token.Hash(raw)).Scan(ctx); err != nil {
		if db.IsNotFound(err) {
			return nil, problem.NotFound()
		}
		return nil, err
	}
	now := s.now()
	if inv.AcceptedAt != nil {
		return nil, problem.Gone("this invitation has already been used")
	}
	if now.After(inv.ExpiresAt) {
		return nil, problem.Gone("this invitation has expired; ask for a new one")
	}
	u := new(User)
	if err := s.DB.NewSelect().Model(u).Where("id = ?", inv.UserID).Scan(ctx); err != nil {
		return nil, err
	}
	in.Name = strings.TrimSpace(in.Name)
	if u.PasswordHash != "" {
		// Whoever holds the link (the inviting admin too) must not get unlimited guesses at
		// an existing password: the sign-in throttle applies, and a wrong one counts.
		ip := ""
		if meta != nil {
			ip = meta.IP
		}
		if s.Throttle != nil {
			if err := s.Throttle.Throttled(ctx, u.Email, ip); err != nil {
				return nil, err
			}
		}
		ok, _ := password.Verify(in.Password, u.PasswordHash)
		if !ok {
			if s.Throttle != nil {
				if err := s.Throttle.Failed(ctx, u.Email, ip); err != nil {
					return nil, err
				}
			}
			return nil, problem.Unauthorized("you already have a GroupCamp login: enter its password to join")
		}
	} else {
		var f problem.Fields
		f.Check(validate.Name(in.Name, validate.MaxName) == "", "name", validate.Name(in.Name, validate.MaxName))
		f.Check(password.Check(in.Password) == "", "password", password.Check(in.Password))
		f.Check(in.Locale == "" || slices.Contains(Locales, in.Locale), "locale", "must be one of "+strings.Join(Locales, ", "))
		if err := f.Err(); err != nil {
			return nil, err
		}
		hash, err := password.Hash(in.Password)
		if err != nil {
			return nil, err
		}
		u.Name, u.PasswordHash, u.UpdatedAt = in.Name, hash, now
		if u.Locale == "" {
			u.Locale = in.Locale
		}
	}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		// The accepted_at condition makes the link single-use even when two requests race.
		res, err := tx.NewUpdate().Model(inv).Set("accepted_at = ?", now).Where("id = ? AND accepted_at IS NULL", inv.ID).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n != 1 {
			return problem.Gone("this invitation has already been used")
		}
		if _, err := tx.NewUpdate().Model(u).Column("name", "password_hash", "locale", "updated_at").Where("id = ?", u.ID).Exec(ctx); err != nil {
			return err
		}
		if _, err := tx.NewUpdate().Model((*Membership)(nil)).Set("status = ?", StatusActive).
			Where("account_id = ? AND user_id = ?", inv.AccountID, u.ID).Exec(ctx); err != nil {
			return err
		}
		who := &actor.Actor{UserID: u.ID, Name: u.Name}
		if meta != nil {
			who.IP, who.UserAgent = meta.IP, meta.UserAgent
		}
		if _, err := events.EmitBy(ctx, tx, inv.AccountID, u.ID, "invitation.accepted", UserEvent{UserID: u.ID, Email: u.Email, Name: u.Name}); err != nil {
			return err
		}
		return audit.Record(ctx, tx, who, inv.AccountID, "invitation.accepted", u.Email, nil)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// MemberPatch is the body of PATCH /api/v1/{slug}/users/{id}.
type MemberPatch struct {
	Role      *string `json:"role,omitempty" enum:"admin,manager,member,client" example:"manager"`
	CompanyID *int64  `json:"company_id,omitempty"`
	Active    *bool   `json:"active,omitempty"`
}

// UpdateMember changes a person's role, company or active state. The owner stays owner:
// ownership moves only by an explicit transfer.
func (s *Service) UpdateMember(ctx context.Context, a *actor.Actor, userID int64, p MemberPatch) (*Member, error) {
	cur, err := s.Member(ctx, a, userID)
	if err != nil {
		return nil, err
	}
	var f problem.Fields
	role := cur.Role
	if p.Role != nil {
		f.Check(validate.OneOf(*p.Role, invitableRoles...) == "", "role", validate.OneOf(*p.Role, invitableRoles...))
		role = *p.Role
	}
	if cur.Role == actor.RoleOwner && (p.Role != nil && *p.Role != actor.RoleOwner || p.Active != nil && !*p.Active) {
		return nil, problem.Conflict("role", "the owner's role cannot be changed and the owner cannot be removed")
	}
	companyID := cur.CompanyID
	if p.CompanyID != nil || p.Role != nil {
		want := cur.CompanyID
		if p.CompanyID != nil {
			want = *p.CompanyID
		} else if (role == actor.RoleClient) != (cur.Role == actor.RoleClient) {
			want = 0 // moving between staff and client needs a fitting company
		}
		if !f.Has("role") {
			companyID = s.checkCompany(ctx, s.DB, a.AccountID(), role, want, &f)
		}
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		q := tx.NewUpdate().Model((*Membership)(nil)).Set("role = ?", role).Set("company_id = ?", companyID).
			Where("account_id = ? AND user_id = ?", a.AccountID(), userID)
		if p.Active != nil {
			if *p.Active {
				q = q.Set("deactivated_at = NULL")
			} else if cur.DeactivatedAt == nil {
				q = q.Set("deactivated_at = ?", s.now())
			}
		}
		if _, err := q.Exec(ctx); err != nil {
			return err
		}
		if role != cur.Role {
			if err := audit.Record(ctx, tx, a, a.AccountID(), "user.role_changed", cur.Email, map[string]string{"from": cur.Role, "to": role}); err != nil {
				return err
			}
			if _, err := events.EmitBy(ctx, tx, a.AccountID(), a.UserID, "user.role_changed", UserEvent{UserID: userID, Email: cur.Email, Name: cur.Name, Role: role, PreviousRole: cur.Role}); err != nil {
				return err
			}
		}
		if p.Active != nil && *p.Active != (cur.DeactivatedAt == nil) {
			action := "user.reactivated"
			if !*p.Active {
				action = "user.deactivated"
			}
			if _, err := events.EmitBy(ctx, tx, a.AccountID(), a.UserID, action, UserEvent{UserID: userID, Email: cur.Email, Name: cur.Name, Role: role}); err != nil {
				return err
			}
			if !*p.Active {
				if err := s.endAccessIfLast(ctx, tx, userID); err != nil {
					return err
				}
			}
			return audit.Record(ctx, tx, a, a.AccountID(), action, cur.Email, nil)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if p.Active != nil && !*p.Active && s.Credentials != nil {
		s.Credentials.Forget(userID) // cached credentials must not outlive the membership
	}
	return s.Member(ctx, a, userID)
}

// endAccessIfLast ends the sessions and personal API tokens of a person whose last active
// membership was just deactivated (platform staff keep theirs: they reach the platform pages).
//
// Sessions and tokens belong to the person, not to one account: a person in several accounts
// signs in once and a token works in each of their accounts (within its scopes). So an admin
// who deactivates someone in their account ends that account's access at once — every request
// to an account checks the membership, uncached — but does not sign the person out of the
// other accounts, which are not theirs to decide. When no active membership is left, the
// person may not sign in any more (core/auth refuses it), and their sessions and tokens end
// too: none of them answers any more, /api/v1/me included. Reactivation gives no token back.
func (s *Service) endAccessIfLast(ctx context.Context, tx bun.Tx, userID int64) error {
	if s.Credentials == nil {
		return nil
	}
	u := new(User)
	if err := tx.NewSelect().Model(u).Column("platform_role").Where("id = ?", userID).Scan(ctx); err != nil {
		return err
	}
	if u.PlatformRole != "" {
		return nil
	}
	active, err := tx.NewSelect().Model((*Membership)(nil)).
		Where("user_id = ? AND status = ? AND deactivated_at IS NULL", userID, StatusActive).Count(ctx)
	if err != nil || active > 0 {
		return err
	}
	return s.Credentials.EndAccess(ctx, tx, userID)
}

// Deactivate removes a person's access to the account; their data stays.
func (s *Service) Deactivate(ctx context.Context, a *actor.Actor, userID int64) (*Member, error) {
	off := false
	return s.UpdateMember(ctx, a, userID, MemberPatch{Active: &off})
}
