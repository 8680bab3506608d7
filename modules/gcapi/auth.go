package gcapi

import (
	"context"
	"crypto/hmac"
	"crypto/sha1" //nolint:gosec // GroupCamp's protocol signs with HMAC-SHA1 (Auth.md); HMAC-SHA1 is not broken as a MAC.
	"encoding/base64"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/time/rate"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/authz"
	"groupcamp/core/identity"
	"groupcamp/core/obs"
)

// Headers of GroupCamp's protocol (Auth.md).
const (
	HeaderApplication = "X-Gcmp-Application"
	HeaderActing      = "X-Gcmp-Acting"
	authScheme        = "GCMP "
)

// MaxKeyID bounds the key id a request may send before it is looked up.
const MaxKeyID = 64

// Sign is the signature of a request as Auth.md describes it: base64(HMAC-SHA1(secret,
// METHOD::path::body)), the path as sent, without its query string.
func Sign(secret []byte, method, path string, body []byte) string {
	mac := hmac.New(sha1.New, secret)
	mac.Write([]byte(method))
	mac.Write([]byte("::"))
	mac.Write([]byte(path))
	mac.Write([]byte("::"))
	mac.Write(body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// gate authenticates the compatible API's requests: the key, its application, the signature,
// the throttle and the acting person, who becomes the request's actor (an administrator of the
// key's account: the key was granted by one, and GroupCamp never checks the acting person's
// rights — it is who the history names).
type gate struct {
	svc    *Service
	log    *slog.Logger
	people *identity.Service
	// enforcer answers the App's enforcer (built after the modules register).
	enforcer func() *authz.Enforcer
	// PerSecond and Burst are each key's throttle.
	perSecond rate.Limit
	burst     int

	mu       sync.Mutex
	limiters map[int64]*rate.Limiter
	// actors caches the acting people and accounts a short while (actorTTL): every call of a
	// script names the same one.
	actors sync.Map // actingKey -> cachedActor
	// touched is when each key's last_used_at was last written.
	touched sync.Map // key row id -> time.Time
}

const actorTTL = 30 * time.Second

type actingKey struct {
	account int64
	acting  string
}

type cachedActor struct {
	a     actor.Actor
	until time.Time
}

const localsKey = "gcapi.call"

// call is an authenticated request: its key and its actor.
type call struct {
	key *Key
	a   *actor.Actor
}

func callOf(c *fiber.Ctx) *call {
	cl, _ := c.Locals(localsKey).(*call)
	return cl
}

// authenticate answers the request's call, or false whatever the reason (Auth.md: always
// "unauthorized").
func (g *gate) authenticate(c *fiber.Ctx, app string) (*call, bool) {
	declared, ok := application(c.Get(HeaderApplication))
	if !ok || declared != app {
		return nil, false
	}
	raw := c.Get(fiber.HeaderAuthorization)
	if len(raw) <= len(authScheme) || !strings.EqualFold(raw[:len(authScheme)], authScheme) {
		return nil, false
	}
	keyID, sig, ok := strings.Cut(strings.TrimSpace(raw[len(authScheme):]), ":")
	if !ok || keyID == "" || len(keyID) > MaxKeyID || sig == "" {
		return nil, false
	}
	ctx := c.UserContext()
	k, secret, err := g.svc.lookup(ctx, keyID)
	if err != nil || k == nil || k.Application != app {
		return nil, false
	}
	// The path as the client sent it: the request line's, without the query string (Fiber's
	// Path may be unescaped; the original URI is what the client signed).
	path := string(c.Request().URI().PathOriginal())
	if i := strings.IndexByte(path, '?'); i >= 0 {
		path = path[:i]
	}
	want := Sign(secret, c.Method(), path, c.Body())
	if !hmac.Equal([]byte(want), []byte(sig)) {
		return nil, false
	}
	a, err := g.acting(ctx, c, k)
	if err != nil || a == nil {
		return nil, false
	}
	return &call{key: k, a: a}, true
}

// acting is the actor of the request: the person X-Gcmp-Acting names (an email or a user id)
// among the active people of the key's account.
func (g *gate) acting(ctx context.Context, c *fiber.Ctx, k *Key) (*actor.Actor, error) {
	// A copy: Fiber's header strings share the connection's buffer, which the next request
	// overwrites — kept as the cache's key, the owner's entry once answered for the member's
	// email (TestProvisioning saw the member's writes audited as the owner's, now and then).
	acting := strings.ToLower(strings.TrimSpace(strings.Clone(c.Get(HeaderActing))))
	if acting == "" || len(acting) > 254 {
		return nil, nil
	}
	ck := actingKey{k.AccountID, acting}
	if v, ok := g.actors.Load(ck); ok {
		if ca := v.(cachedActor); time.Now().Before(ca.until) {
			a := ca.a
			g.decorate(c, &a)
			return &a, nil
		}
	}
	acc, err := g.people.AccountByID(ctx, k.AccountID)
	if err != nil {
		return nil, err
	}
	a := actor.Actor{Account: &actor.Account{ID: acc.ID, Slug: acc.Slug, Name: acc.Name}, Role: actor.RoleAdmin}
	var m *identity.Member
	if id, perr := strconv.ParseInt(acting, 10, 64); perr == nil && id > 0 {
		ms, err := g.people.MembersByID(ctx, &a, []int64{id})
		if err != nil {
			return nil, err
		}
		if mm, ok := ms[id]; ok {
			m = &mm
		}
	} else {
		list, err := g.people.ListMembers(ctx, &a, apiPage(20), identity.MemberFilter{Query: acting})
		if err != nil {
			return nil, err
		}
		for i := range list.Items {
			if strings.EqualFold(list.Items[i].Email, acting) {
				m = &list.Items[i]
				break
			}
		}
	}
	if m == nil || !m.Active {
		return nil, nil
	}
	a.UserID, a.Name, a.Email, a.CompanyID = m.ID, m.Name, m.Email, m.CompanyID
	g.actors.Store(ck, cachedActor{a: a, until: time.Now().Add(actorTTL)})
	g.decorate(c, &a)
	return &a, nil
}

// decorate sets what is the request's own on a copy of the cached actor.
func (g *gate) decorate(c *fiber.Ctx, a *actor.Actor) {
	a.IP, a.UserAgent = obs.ClientIP(c), c.Get(fiber.HeaderUserAgent)
	role, slug, en := a.Role, a.Account.Slug, g.enforcer()
	a.Can = func(object, action string) bool { return en.Allowed(role, slug, object, action) }
}

// setLimit changes every key's throttle (the load tool lifts it in process).
func (g *gate) setLimit(perSecond rate.Limit, burst int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.perSecond, g.burst = perSecond, burst
	g.limiters = nil
}

// allow takes a token of the key's throttle.
func (g *gate) allow(keyRow int64) bool {
	g.mu.Lock()
	l, ok := g.limiters[keyRow]
	if !ok {
		if g.limiters == nil {
			g.limiters = map[int64]*rate.Limiter{}
		}
		l = rate.NewLimiter(g.perSecond, g.burst)
		g.limiters[keyRow] = l
	}
	g.mu.Unlock()
	return l.Allow()
}

// touch writes when the key was last used, at most once a minute per key.
func (g *gate) touch(ctx context.Context, k *Key) {
	now := time.Now()
	if v, ok := g.touched.Load(k.ID); ok && now.Sub(v.(time.Time)) < time.Minute {
		return
	}
	g.touched.Store(k.ID, now)
	_ = g.svc.store().touch(ctx, g.svc.tenant(k.AccountID), k.ID, g.svc.clock())
}

// fiberCtx and handlerFunc name the shapes of the compatible API's handlers.
type (
	fiberCtx    = *fiber.Ctx
	handlerFunc = func(c *fiber.Ctx, a *actor.Actor) error
)

// wrap authenticates a request of app, throttles its key, records a write in the audit trail,
// then runs next.
func (g *gate) wrap(app string, next fiber.Handler) fiber.Handler {
	return func(c *fiber.Ctx) error {
		cl, ok := g.authenticate(c, app)
		if !ok {
			return writeError(c, fiber.StatusUnauthorized, "unauthorized", "", nil)
		}
		if !g.allow(cl.key.ID) {
			c.Set(fiber.HeaderRetryAfter, "1")
			return writeError(c, fiber.StatusTooManyRequests, "too_many_requests", "", nil)
		}
		c.Locals(localsKey, cl)
		g.touch(c.UserContext(), cl.key)
		if err := next(c); err != nil {
			return err
		}
		if c.Method() != fiber.MethodGet && c.Response().StatusCode() == fiber.StatusOK {
			g.record(c, cl)
		}
		return nil
	}
}

// record writes a successful write of the compatible API in the audit trail, by the acting
// person, with the key that signed it.
func (g *gate) record(c *fiber.Ctx, cl *call) {
	path := string(c.Request().URI().PathOriginal())
	if err := audit.Record(c.UserContext(), g.svc.DB, cl.a, cl.key.AccountID, "gcapi.write", "gcapi_key:"+cl.key.KeyID,
		map[string]any{"method": c.Method(), "path": path, "application": cl.key.Versioned()}); err != nil {
		g.log.Error("gcapi: audit", "err", err)
	}
}
