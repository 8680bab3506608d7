package ical

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/authz"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	ics "groupcamp/core/ical"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/token"
)

// TokenPrefix starts every feed token: whoever finds one in a log knows what it opens.
const TokenPrefix = "gcal_"

// The feed's window: what a calendar application shows of the past is rarely looked at, the
// future up to a year is planned; both bound the work of one fetch.
const (
	PastDays   = 90
	FutureDays = 366
)

// FetchedPrecision is how stale last_fetched_at may be.
const FetchedPrecision = time.Hour

// MaxAccounts bounds the accounts one feed gathers (a consultant in many client accounts).
const MaxAccounts = 50

// Service holds the feeds: the tokens and the gathering of the modules' events.
type Service struct {
	DB      *bun.DB
	Secret  string // the server's secret key: tokens are HMACs of a row's nonce under it
	BaseURL string
	// Sources are the modules' calendar sources and Enabled whether an account has a module
	// on (both from the App's hooks, read at each fetch: they are complete once it is built).
	Hooks    func() *hooks.Set
	Enforcer func() *authz.Enforcer
	People   *identity.Service // the teams, for the team feeds
	Now      func() time.Time
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return db.Now()
}

// Feed is a person's feed row.
type Feed struct {
	bun.BaseModel `bun:"table:ical_feeds"`

	ID            int64      `bun:"id,pk,autoincrement"`
	UserID        int64      `bun:"user_id"`
	Nonce         string     `bun:"nonce"`
	TokenHash     string     `bun:"token_hash"`
	CreatedAt     time.Time  `bun:"created_at"`
	LastFetchedAt *time.Time `bun:"last_fetched_at"`
}

// FeedView is what the API says of a person's feed.
type FeedView struct {
	URL       string    `json:"url" format:"uri"`
	CreatedAt time.Time `json:"created_at"`
	// LastFetchedAt is when a calendar last read the feed (to the hour), null before: the
	// person sees that their subscription works.
	LastFetchedAt *time.Time `json:"last_fetched_at"`
}

// tokenOf derives the secret token of a nonce: the database keeps the nonce, never the token.
func (s *Service) tokenOf(nonce string) string {
	m := hmac.New(sha256.New, []byte(s.Secret))
	io.WriteString(m, "ical-feed:"+nonce)
	return TokenPrefix + base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

func (s *Service) urlOf(f *Feed) string {
	return strings.TrimRight(s.BaseURL, "/") + "/ical/" + s.tokenOf(f.Nonce) + ".ics"
}

func newNonce() string {
	b := make([]byte, 18)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ensure returns the person's feed, making it on first use.
func (s *Service) ensure(ctx context.Context, userID int64) (*Feed, error) {
	f := new(Feed)
	err := s.DB.NewSelect().Model(f).Where("user_id = ?", userID).Scan(ctx)
	if err == nil {
		return f, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	nonce := newNonce()
	f = &Feed{UserID: userID, Nonce: nonce, TokenHash: token.Hash(s.tokenOf(nonce)), CreatedAt: s.now()}
	// Two first visits racing: the unique index keeps one, and both read it back.
	if _, err := s.DB.NewInsert().Model(f).On("CONFLICT (user_id) DO NOTHING").Exec(ctx); err != nil {
		return nil, err
	}
	f = new(Feed)
	return f, s.DB.NewSelect().Model(f).Where("user_id = ?", userID).Scan(ctx)
}

// URL is the person's feed URL (hooks.CalendarURL: GET /api/v1/me's ical_url).
func (s *Service) URL(ctx context.Context, userID int64) (string, error) {
	f, err := s.ensure(ctx, userID)
	if err != nil {
		return "", err
	}
	return s.urlOf(f), nil
}

// Mine is the actor's feed.
func (s *Service) Mine(ctx context.Context, a *actor.Actor) (*FeedView, error) {
	f, err := s.ensure(ctx, a.UserID)
	if err != nil {
		return nil, err
	}
	return &FeedView{URL: s.urlOf(f), CreatedAt: f.CreatedAt, LastFetchedAt: f.LastFetchedAt}, nil
}

// Rotate gives the actor a new feed URL; the old one answers 404 from now on.
func (s *Service) Rotate(ctx context.Context, a *actor.Actor) (*FeedView, error) {
	if _, err := s.ensure(ctx, a.UserID); err != nil {
		return nil, err
	}
	nonce := newNonce()
	now := s.now()
	if _, err := s.DB.NewUpdate().Model((*Feed)(nil)).Set("nonce = ?", nonce).Set("token_hash = ?", token.Hash(s.tokenOf(nonce))).
		Set("created_at = ?", now).Set("last_fetched_at = NULL").Where("user_id = ?", a.UserID).Exec(ctx); err != nil {
		return nil, err
	}
	return s.Mine(ctx, a)
}

// Revoke deletes the person's feed (an erasure): the URL answers 404, a new one is made on
// the next visit of the profile.
func (s *Service) Revoke(ctx context.Context, idb bun.IDB, userID int64) error {
	_, err := idb.NewDelete().Model((*Feed)(nil)).Where("user_id = ?", userID).Exec(ctx)
	return err
}

// MaxToken bounds the token read from a URL before any hashing or query.
const MaxToken = 100

// person is who a token opens.
type person struct {
	FeedID   int64      `bun:"feed_id"`
	Fetched  *time.Time `bun:"last_fetched_at"`
	UserID   int64      `bun:"user_id"`
	Name     string     `bun:"name"`
	Email    string     `bun:"email"`
	Locale   string     `bun:"locale"`
	TimeZone string     `bun:"time_zone"`
}

// membership is one account the person is active in.
type membership struct {
	AccountID int64  `bun:"account_id"`
	Slug      string `bun:"slug"`
	Name      string `bun:"name"`
	Role      string `bun:"role"`
	CompanyID int64  `bun:"company_id"`
}

// Write serializes the feed that raw (the token of the URL) opens: 404 for an unknown,
// rotated or revoked token, or for a person without a login any more.
func (s *Service) Write(ctx context.Context, raw string, w io.Writer) error {
	if len(raw) > MaxToken {
		return problem.NotFound()
	}
	if strings.HasPrefix(raw, TeamTokenPrefix) {
		return s.writeTeam(ctx, raw, w) // team.go
	}
	if !strings.HasPrefix(raw, TokenPrefix) {
		return problem.NotFound()
	}
	var p person
	err := s.DB.NewSelect().TableExpr("ical_feeds AS f").Join("JOIN users AS u ON u.id = f.user_id").
		ColumnExpr("f.id AS feed_id, f.last_fetched_at, u.id AS user_id, u.name, u.email, u.locale, u.time_zone").
		Where("f.token_hash = ?", token.Hash(raw)).Scan(ctx, &p)
	if errors.Is(err, sql.ErrNoRows) {
		return problem.NotFound()
	}
	if err != nil {
		return err
	}
	events, err := s.events(ctx, p)
	if err != nil {
		return err
	}
	now := s.now()
	// The fetch time tells the person (and the access report) that the URL is in use. It is
	// kept to the hour: a feed is polled often, and a write per poll would cost more than the
	// feed (SQLite's single writer).
	if p.Fetched == nil || now.Sub(*p.Fetched) > FetchedPrecision {
		if _, err := s.DB.NewUpdate().Model((*Feed)(nil)).Set("last_fetched_at = ?", now).Where("id = ?", p.FeedID).Exec(ctx); err != nil {
			return err
		}
	}
	return ics.Write(w, ics.Calendar{Name: "GroupCamp — " + p.Name, Stamp: now, Refresh: time.Hour}, events)
}

// events gathers what every module says of the person in each of their active accounts, as
// that account's member (their role's capabilities, their company), in the feed's window.
func (s *Service) events(ctx context.Context, p person) ([]ics.Event, error) {
	var ms []membership
	if err := s.DB.NewSelect().TableExpr("memberships AS m").Join("JOIN accounts AS a ON a.id = m.account_id").
		ColumnExpr("m.account_id, a.slug, a.name, m.role, m.company_id").
		Where("m.user_id = ? AND m.status = 'active' AND m.deactivated_at IS NULL AND a.state <> 'closed'", p.UserID).
		OrderExpr("a.slug").Limit(MaxAccounts).Scan(ctx, &ms); err != nil {
		return nil, err
	}
	from, to := s.window(p.TimeZone)
	set, enf := s.Hooks(), s.Enforcer()
	base := strings.TrimRight(s.BaseURL, "/")
	var out []ics.Event
	for _, m := range ms {
		a := actorIn(p, m, enf)
		for _, src := range set.Calendar {
			if on, err := set.Enabled(ctx, m.AccountID, src.Module); err != nil {
				return nil, err
			} else if !on {
				continue
			}
			evs, err := src.Hook.Events(ctx, a, from, to)
			if err != nil {
				return nil, fmt.Errorf("%s: calendar: %w", src.Module, err)
			}
			account := ""
			if len(ms) > 1 {
				account = m.Name
			}
			for _, e := range evs {
				out = append(out, toEvent(e, m.Slug, base, account))
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Starts.Before(out[j].Starts) })
	return out, nil
}

// actorIn is the person as a member of one of their accounts, with their role's capabilities
// there: the sources decide what the feed shows with it, as their own pages would.
func actorIn(p person, m membership, enf *authz.Enforcer) *actor.Actor {
	a := &actor.Actor{UserID: p.UserID, Name: p.Name, Email: p.Email, Locale: p.Locale, TimeZone: p.TimeZone,
		Account: &actor.Account{ID: m.AccountID, Slug: m.Slug, Name: m.Name}, Role: m.Role, CompanyID: m.CompanyID}
	a.Can = func(object, action string) bool { return enf.Allowed(m.Role, m.Slug, object, action) }
	return a
}

// window is the feed's range of days around today in the person's time zone.
func (s *Service) window(zone string) (from, to time.Time) {
	loc := actor.Zone(zone)
	if loc == nil {
		loc = time.UTC
	}
	today := s.now().In(loc)
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return today.AddDate(0, 0, -PastDays), today.AddDate(0, 0, FutureDays)
}

// toEvent is a module's entry as written: its URL absolute, its UID unique across accounts
// and servers, and the account named when the feed gathers several (the same project name
// may exist in two clients' accounts).
func toEvent(e hooks.CalendarEvent, slug, base, account string) ics.Event {
	url := e.URL
	if strings.HasPrefix(url, "/") {
		url = base + url
	}
	desc := e.Description
	if account != "" {
		if desc == "" {
			desc = account
		} else {
			desc += " — " + account
		}
	}
	return ics.Event{UID: e.UID + "-" + slug + "@" + hostOf(base), Summary: e.Summary, Description: desc, URL: url,
		Starts: e.Starts, Ends: e.Ends, AllDay: e.AllDay, RRule: e.RRule, Zone: e.Zone, ExDates: e.ExDates, RecurrenceID: e.RecurrenceID}
}

// hostOf is the host of the base URL, the right-hand side of the events' UIDs.
func hostOf(base string) string {
	h := base
	if i := strings.Index(h, "://"); i >= 0 {
		h = h[i+3:]
	}
	if i := strings.IndexAny(h, "/"); i >= 0 {
		h = h[:i]
	}
	if h == "" {
		return "groupcamp"
	}
	return h
}
