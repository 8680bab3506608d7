// Package consent enforces what the privacy policy promises about platform staff (PRODUCT.md,
// "Privacy (GDPR) and support"): support sees an account's data only with its owner's
// consent, partners see their customers' account and billing data only, and every access by
// either is written to the account's audit trail, where the owner sees it.
//
// Support grants. Each grant is a workflow (workflow.go): support asks for access with a
// reason, the owner grants or refuses, and a granted access ends by itself at its end date
// (ExpireTask, every minute) or when the owner revokes it. The owner may also grant unasked.
// The owner consents, time-boxed (at most 30 days ahead) and revocable at once, to one of two
// scopes: "logs" switches on the account's application log and lets
// support read it; "data" lets support read — never write — the account's application data
// for troubleshooting. Every grant and revocation is audited in the same transaction.
//
// The application log. While a logs grant is in force, every request on the account's
// routes is recorded in app_logs (RecordLogs, a Fiber middleware): time, request id, user id,
// method, route pattern, status, duration and, for errors, the problem title. Never a body, a
// password, a token, a query string or a cookie: only the route pattern is kept, not the
// path. Whether a logs grant is in force is cached per account in memory for CacheTTL (5 s):
// a revocation stops the recording at once on the instance that handled it and within 5 s on
// the others. What was recorded is deleted 30 days after the end of the account's last logs
// grant (PurgeLogs, the hourly PurgeTask).
//
// The platform console. Support sees every account, but of each only its administrators'
// names, its management teams' names, technical counters and configuration; it reads the log
// only while a logs grant is in force (403 otherwise, and the refused attempt is audited too),
// and the account's data only while a data grant is in force, through authz.Gate (GET and HEAD
// only; DataGrant and RecordDataAccess implement authz.SupportReach). Support's own accesses
// always ask the database, never the cache, so a revocation closes them at once. A partner
// sees the accounts it manages (accounts.partner_user_id) — account and billing data, never
// application data — and 404 for any other account.
//
// Support requests. The owner and admins open tickets; support and the account's partner
// answer them (and may open one for the account); both sides read the whole thread.
//
// The use cases (grants.go, applog.go, platform.go, tickets.go) are plain Go taking the actor;
// http.go and pages.go are the thin Fiber layer of the API and the pages. RecordLogs is the one
// middleware, installed by the App around every request.
package consent

import (
	"context"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/workflow"
)

// Grant scopes.
const (
	ScopeLogs = "logs" // the application log is recorded, and support may read it
	ScopeData = "data" // support may read the account's application data
)

// Scopes lists the grant scopes.
var Scopes = []string{ScopeLogs, ScopeData}

// Limits of the privacy policy.
const (
	// MaxGrant is how far ahead a grant may end.
	MaxGrant = 30 * 24 * time.Hour
	// LogRetention is how long the application log outlives the account's last logs grant.
	LogRetention = 30 * 24 * time.Hour
	// CacheTTL is how long "is a logs grant in force for this account" is remembered.
	CacheTTL = 5 * time.Second
)

// Service holds the consent, application-log, platform-console and support-request use cases.
type Service struct {
	DB     *bun.DB
	People *identity.Service
	Log    *slog.Logger
	// Workflows runs each grant's state machine (GrantWorkflow must be defined on it).
	Workflows *workflow.Engine
	// Now is the clock of stored instants (tests move it); nil is db.Now.
	Now func() time.Time
	// Usage counts what the modules count of an account (hooks.Set.Usage): the support
	// console's projects and storage figures. Nil: only core's counts.
	Usage func(ctx context.Context, idb bun.IDB, accountID int64) (map[string]int64, error)
	// Plan is an account's subscription (hooks.Set.PlanOf, from billing): a partner's view of
	// an account shows it. Nil: no plan shown.
	Plan func(ctx context.Context, accountID int64) (*hooks.PlanInfo, error)

	ttl   atomic.Int64 // nanoseconds
	mu    sync.Mutex
	cache map[int64]logsState
}

// New returns the service with the default cache lifetime, and defines the grant workflow on
// the engine.
func New(d *bun.DB, people *identity.Service, log *slog.Logger, wf *workflow.Engine) *Service {
	wf.Define(GrantWorkflow())
	s := &Service{DB: d, People: people, Log: log, Workflows: wf, cache: map[int64]logsState{}}
	s.ttl.Store(int64(CacheTTL))
	return s
}

// SetCacheTTL changes how long the logs-grant state of an account is cached (tests use 0 or a
// few milliseconds; production keeps CacheTTL).
func (s *Service) SetCacheTTL(d time.Duration) { s.ttl.Store(int64(d)) }

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC().Truncate(time.Microsecond)
	}
	return db.Now()
}
