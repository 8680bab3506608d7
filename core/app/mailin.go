package app

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/mailin"
	"groupcamp/core/problem"
)

// Email in (issue 21): the built-in SMTP receiver of core/mailin runs beside the web server
// when GROUPCAMP_SMTP_IN_ADDR is set. It accepts mail for the addresses this server signed —
// a notification's reply address (one person, one task) and a place's address (a project's,
// shown on its page) — and hands each message to the module that registered the address's
// kind (Registry.MailIn), as the sender: an active person of the account, with their role.

// mailInState is the receiver once Serve started it.
type mailInState struct {
	signer *mailin.Signer
	log    *mailin.Log
	srv    atomic.Pointer[mailin.Server]
}

// openMailIn serves the refusal log to administrators (saying email in is off when it is),
// and prepares the signer of the addresses when email in is on: the notification emails
// carry reply addresses (core/notify), the modules show their places' addresses.
func (a *App) openMailIn() error {
	pages := &mailin.Pages{DB: a.DB, Web: a.Web, On: a.Config.SMTPInAddr != "", Domain: a.Config.SMTPInDomain}
	if err := pages.Install(); err != nil {
		return err
	}
	pages.Routes(a.Routes)
	if a.Config.SMTPInAddr == "" {
		return nil
	}
	a.nav = append(a.nav, mailin.Nav...)
	a.mailIn = &mailInState{signer: mailin.NewSigner(a.Config.SecretKey, a.Config.SMTPInDomain), log: &mailin.Log{DB: a.DB}}
	a.Notify.ReplyTo = func(accountID, userID int64, kind string, id int64) string {
		if _, ok := a.Hooks.MailIn[kind]; !ok {
			return "" // no module takes replies about this kind of thing
		}
		return a.mailIn.signer.Address(mailin.Reply{AccountID: accountID, UserID: userID, Kind: kind, ID: id})
	}
	a.Hooks.MailAddress = func(accountID int64, kind string, id int64) string {
		return a.mailIn.signer.Address(mailin.Reply{AccountID: accountID, Kind: kind, ID: id})
	}
	return nil
}

// MailInAddr is the address the SMTP receiver listens on ("" when email in is off or the App
// is not serving).
func (a *App) MailInAddr() string {
	if a.mailIn == nil {
		return ""
	}
	if s := a.mailIn.srv.Load(); s != nil {
		return s.Addr()
	}
	return ""
}

// startMailIn starts the receiver (nothing when email in is off); the returned func stops it.
func (a *App) startMailIn() (func(), error) {
	if a.mailIn == nil {
		return func() {}, nil
	}
	record := func(ctx context.Context, r mailin.Refused) {
		if err := a.mailIn.log.Record(ctx, r); err != nil {
			a.Log.Error("email in: recording a refusal", "err", err)
		}
	}
	srv, err := mailin.Start(a.Config.SMTPInAddr, a.mailIn.signer, a.receive, a.Log, record)
	if err != nil {
		return nil, err
	}
	a.mailIn.srv.Store(srv)
	a.Log.Info("email in: SMTP receiver listening", "addr", srv.Addr(), "domain", a.mailIn.signer.Domain)
	return func() { _ = srv.Close() }, nil
}

// receive is the receiver's Handler: it finds the module that takes the address's kind, the
// account (open, with that module on) and the sender in it, and lets the module act as them.
// What refuses the message says why to the sender (their server bounces it with that text).
func (a *App) receive(ctx context.Context, m mailin.Message) error {
	target, ok := a.Hooks.MailIn[m.Reply.Kind]
	if !ok {
		return &mailin.Refusal{Text: "No such mailbox.", Reason: mailin.ReasonNotFound}
	}
	acc := new(identity.Account)
	err := a.DB.NewSelect().Model(acc).Column("id", "slug", "name", "state").Where("id = ?", m.Reply.AccountID).Scan(ctx)
	if db.IsNotFound(err) || (err == nil && acc.State == identity.StateClosed) {
		return &mailin.Refusal{Text: "This GroupCamp account is closed.", Reason: mailin.ReasonClosed}
	}
	if err != nil {
		return err
	}
	if on, err := a.Hooks.Enabled(ctx, acc.ID, target.Module); err != nil {
		return err
	} else if !on {
		return &mailin.Refusal{Text: "This GroupCamp account no longer takes this mail.", Reason: mailin.ReasonClosed}
	}
	person, err := a.sender(ctx, acc, m.From)
	if err != nil {
		return err
	}
	if person == nil {
		a.Log.Info("email in: refused a sender who is no active person of the account", "account_id", acc.ID)
		return &mailin.Refusal{Text: "Your address is not an active person of this GroupCamp account: sign in and write there.", Reason: mailin.ReasonUnknownSender}
	}
	if m.Reply.Personal() && person.UserID != m.Reply.UserID {
		// A reply address names the person the notification went to: anyone else's mail to it
		// (a forwarded notification, a forged From) would write in their name.
		return &mailin.Refusal{Text: "This reply address was made for another person: reply to your own notification.", Reason: mailin.ReasonOtherPerson}
	}
	if m.Reply.Personal() {
		err = target.Hook.Reply(ctx, person, m.Reply.ID, m.Text)
	} else {
		files := make([]hooks.MailFile, len(m.Files))
		for i, f := range m.Files {
			files[i] = hooks.MailFile{Name: f.Name, MIME: f.MIME, Data: f.Data}
		}
		d := hooks.MailDrop{Subject: m.Subject, Text: m.Whole, Files: files}
		if f := m.Forward; f != nil {
			d.Forward = &hooks.MailForward{From: f.From, Date: f.Date, Subject: f.Subject, Text: f.Text, Note: m.Note}
			if at, ok := mailin.ParseDate(f.Date, actor.Zone(person.TimeZone)); ok {
				d.Forward.At = &at
			}
		}
		err = target.Hook.Drop(ctx, person, m.Reply.ID, d)
	}
	if p, ok := problem.As(err); ok {
		return &mailin.Refusal{Text: refusalText(p), Reason: refusalReason(p)}
	}
	return err
}

// sender is the active person of the account whose login is email, as an actor of the
// account with their role (nil when there is none).
func (a *App) sender(ctx context.Context, acc *identity.Account, email string) (*actor.Actor, error) {
	var row struct {
		UserID    int64  `bun:"user_id"`
		Name      string `bun:"name"`
		Email     string `bun:"email"`
		Locale    string `bun:"locale"`
		TimeZone  string `bun:"time_zone"`
		Role      string `bun:"role"`
		CompanyID int64  `bun:"company_id"`
	}
	err := a.DB.NewSelect().TableExpr("memberships AS m").Join("JOIN users AS u ON u.id = m.user_id").
		ColumnExpr("u.id AS user_id, u.name, u.email, u.locale, u.time_zone, m.role, m.company_id").
		Where("m.account_id = ? AND m.status = ? AND m.deactivated_at IS NULL", acc.ID, identity.StatusActive).
		Where("lower(u.email) = ?", strings.ToLower(email)).Limit(1).Scan(ctx, &row)
	if db.IsNotFound(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	p := &actor.Actor{UserID: row.UserID, Name: row.Name, Email: row.Email, Locale: row.Locale, TimeZone: row.TimeZone,
		Account: &actor.Account{ID: acc.ID, Slug: acc.Slug, Name: acc.Name}, Role: row.Role, CompanyID: row.CompanyID, UserAgent: "email"}
	slug, role := acc.Slug, row.Role
	p.Can = func(object, action string) bool { return a.Enforcer.Allowed(role, slug, object, action) }
	return p, nil
}

// refusalReason is a module's refusal as the refusal log names it.
func refusalReason(p *problem.Problem) string {
	switch p.Status {
	case http.StatusNotFound:
		return mailin.ReasonNotFound
	case http.StatusForbidden:
		return mailin.ReasonForbidden
	}
	return mailin.ReasonInvalid
}

// refusalText is a module's refusal as the sender reads it in the bounce.
func refusalText(p *problem.Problem) string {
	switch p.Status {
	case http.StatusNotFound:
		return "It is not there any more, or you cannot see it."
	case http.StatusForbidden:
		return "Your role in this GroupCamp account does not allow this."
	}
	var b strings.Builder
	b.WriteString(p.Detail)
	for _, e := range p.Errors {
		if b.Len() > 0 {
			b.WriteString("; ")
		}
		b.WriteString(e.Field + ": " + e.Message)
	}
	if b.Len() == 0 {
		return p.Title
	}
	return b.String()
}
