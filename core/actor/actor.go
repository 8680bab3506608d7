// Package actor describes who is making a request: the signed-in user and, on account
// routes, the account and the user's role in it. The auth middleware fills it; services take
// it as an argument so that every decision about scope can see it.
package actor

import (
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Platform roles, held outside any one account.
const (
	PlatformSupport = "support"
	PlatformPartner = "partner"
	// PlatformAdmin runs the platform's own business: the billing catalogue, revenue, wire
	// transfers received and credit (modules/billing). It reaches no account's data.
	PlatformAdmin = "platform_admin"
)

// Account roles.
const (
	RoleOwner   = "owner"
	RoleAdmin   = "admin"
	RoleManager = "manager"
	RoleMember  = "member"
	RoleClient  = "client"
)

// Roles lists the account roles from the most to the least powerful.
var Roles = []string{RoleOwner, RoleAdmin, RoleManager, RoleMember, RoleClient}

// Account is the tenant a request is about.
type Account struct {
	ID   int64
	Slug string
	Name string
	// Locale is the account's default language, for readers without one of their own.
	Locale string
}

// Actor is the authenticated principal of a request.
type Actor struct {
	UserID       int64
	Name         string
	Email        string
	Locale       string
	TimeZone     string // the profile's IANA zone ("Europe/Paris"), "" for UTC
	PlatformRole string

	SessionID int64 // browser session or login token
	TokenID   int64 // personal API token
	ViaCookie bool  // authenticated by the session cookie (writes then need CSRF)
	// Scopes of the personal API token (core/auth.Scopes): what the token may reach, within
	// what the role allows. Empty for sessions, which are the person.
	Scopes []string

	// Set on account routes only.
	Account   *Account
	Role      string // the membership role, or the platform role reaching the account
	CompanyID int64
	IP        string
	UserAgent string

	// Can answers whether this actor's role holds a capability in Account; set by the authz
	// middleware so services can ask about a second capability (e.g. billing fields).
	Can func(object, action string) bool
}

const localsKey = "groupcamp.actor"

// Set stores a on the request.
func Set(c *fiber.Ctx, a *Actor) { c.Locals(localsKey, a) }

// From returns the request's actor, or nil on a public route without a session.
func From(c *fiber.Ctx) *Actor {
	a, _ := c.Locals(localsKey).(*Actor)
	return a
}

// May reports whether the actor holds object:action in its account (false off account routes).
func (a *Actor) May(object, action string) bool {
	return a != nil && a.Can != nil && a.Can(object, action)
}

// AccountID is the account of an account route (0 elsewhere).
func (a *Actor) AccountID() int64 {
	if a == nil || a.Account == nil {
		return 0
	}
	return a.Account.ID
}

// zones caches the time zones asked for (time.LoadLocation reads the zone database each time).
var zones sync.Map // name -> *time.Location (nil for an unknown name)

// Zone returns the IANA zone named name, or nil when the server knows none by that name ("" is
// UTC).
func Zone(name string) *time.Location {
	if name == "" {
		return time.UTC
	}
	if v, ok := zones.Load(name); ok {
		loc, _ := v.(*time.Location)
		return loc
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		loc = nil
	}
	zones.Store(name, loc)
	return loc
}

// Location is the time zone of the person's profile: UTC when they chose none (or the server
// does not know it). Their "today" begins at their midnight, not the server's.
func (a *Actor) Location() *time.Location {
	if a == nil {
		return time.UTC
	}
	if loc := Zone(a.TimeZone); loc != nil {
		return loc
	}
	return time.UTC
}
