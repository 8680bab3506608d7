package host

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"groupcamp/core/actor"
	"groupcamp/plugins/sdk/pluginv1"
)

func viewerID(a *actor.Actor) int64 {
	if a == nil {
		return 0
	}
	return a.UserID
}

// Scope is what one call to a plugin is for: the account, its admin's grants, the plugin's
// settings for it, and the person it is for (0: none). The Host API answers the plugin only
// within the scope of a call in progress (the call's token names it).
type Scope struct {
	AccountID int64
	Slug      string
	Granted   []string
	Settings  json.RawMessage
	Lang      string
	// Viewer is the person the call is for (a page, a request), nil for none (an event): the
	// Host API then reads only what they see.
	Viewer *actor.Actor
}

// scopes are the calls in progress, by token.
type scopes struct {
	mu sync.RWMutex
	m  map[string]scopeEntry
}

type scopeEntry struct {
	plugin string
	Scope
	// seen are the projects the viewer sees, learnt during the call (ListProjects), so that
	// the reads of each project that follow ask the projects module no more.
	seen *seenSet
}

type seenSet struct {
	mu sync.Mutex
	m  map[int64]bool
}

func (s *seenSet) has(id int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id]
}

func (s *seenSet) add(ids map[int64]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range ids {
		s.m[id] = true
	}
}

func (t *scopes) open(plugin string, sc Scope) string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	tok := hex.EncodeToString(b)
	t.mu.Lock()
	if t.m == nil {
		t.m = map[string]scopeEntry{}
	}
	t.m[tok] = scopeEntry{plugin: plugin, Scope: sc, seen: &seenSet{m: map[int64]bool{}}}
	t.mu.Unlock()
	return tok
}

func (t *scopes) close(tok string) {
	t.mu.Lock()
	delete(t.m, tok)
	t.mu.Unlock()
}

func (t *scopes) get(tok string) (scopeEntry, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	e, ok := t.m[tok]
	return e, ok
}

// call runs fn against the plugin under the call deadline, with a token for the scope that
// lives as long as the call. Any failure is ErrUnavailable wrapped with its cause; a process
// that died during the call is counted as a crash.
func (s *Supervisor) call(ctx context.Context, name string, sc Scope, fn func(ctx context.Context, c *pluginv1.Call, rpc pluginv1.PluginServiceClient) error) error {
	p, cl, rpc, err := s.client(name)
	if err != nil {
		return err
	}
	if s.Authz != nil {
		s.Authz.Grant(name, sc.Slug, sc.Granted)
	}
	tok := s.tokens.open(name, sc)
	defer s.tokens.close(tok)
	ctx, cancel := context.WithTimeout(ctx, s.callTimeout())
	defer cancel()
	settings := string(sc.Settings)
	if settings == "" {
		settings = "{}"
	}
	c := &pluginv1.Call{Token: tok, AccountId: sc.AccountID, AccountSlug: sc.Slug, SettingsJson: settings, Lang: sc.Lang, ViewerId: viewerID(sc.Viewer)}
	if err := fn(ctx, c, rpc); err != nil {
		code := status.Code(err)
		s.failedCall(p, cl, code == codes.Unavailable)
		if code == codes.DeadlineExceeded || code == codes.Unavailable || code == codes.Canceled || code == codes.Internal {
			return fmt.Errorf("%w: %s: %v", ErrUnavailable, name, err)
		}
		return &CallError{Plugin: name, Err: err}
	}
	return nil
}

// CallError is an error the plugin itself answered (its handler failed).
type CallError struct {
	Plugin string
	Err    error
}

func (e *CallError) Error() string { return e.Plugin + ": " + e.Err.Error() }

// Unwrap makes errors.Is(err, ErrUnavailable) hold: to a page, a failing plugin is unavailable.
func (e *CallError) Unwrap() []error { return []error{ErrUnavailable, e.Err} }

// RenderSection asks the plugin for a section's HTML (not yet sanitized: see Sanitize).
func (s *Supervisor) RenderSection(ctx context.Context, name, section string, sc Scope) (string, error) {
	var html string
	err := s.call(ctx, name, sc, func(ctx context.Context, c *pluginv1.Call, rpc pluginv1.PluginServiceClient) error {
		res, err := rpc.RenderSection(ctx, &pluginv1.RenderSectionRequest{Call: c, Section: section})
		if err == nil {
			html = res.Html
		}
		return err
	})
	return html, err
}

// HandleEvent hands one event to the plugin.
func (s *Supervisor) HandleEvent(ctx context.Context, name string, sc Scope, ev *pluginv1.HandleEventRequest) error {
	return s.call(ctx, name, sc, func(ctx context.Context, c *pluginv1.Call, rpc pluginv1.PluginServiceClient) error {
		ev.Call = c
		_, err := rpc.HandleEvent(ctx, ev)
		return err
	})
}

// ServeHTTP hands one request to the plugin.
func (s *Supervisor) ServeHTTP(ctx context.Context, name string, sc Scope, req *pluginv1.ServeHTTPRequest) (*pluginv1.ServeHTTPResponse, error) {
	var res *pluginv1.ServeHTTPResponse
	err := s.call(ctx, name, sc, func(ctx context.Context, c *pluginv1.Call, rpc pluginv1.PluginServiceClient) error {
		req.Call = c
		var err error
		res, err = rpc.ServeHTTP(ctx, req)
		return err
	})
	return res, err
}

// RunJob runs a scheduled job of the plugin for the scope's account.
func (s *Supervisor) RunJob(ctx context.Context, name string, sc Scope, job string, due int64) error {
	return s.call(ctx, name, sc, func(ctx context.Context, c *pluginv1.Call, rpc pluginv1.PluginServiceClient) error {
		_, err := rpc.RunJob(ctx, &pluginv1.RunJobRequest{Call: c, Job: job, ScheduledUnix: due})
		return err
	})
}
