package load

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/app"
)

// Size is how much data a seed makes. Core uses Users; the modules read the rest (projects,
// tasks) and may add their own flags later.
type Size struct {
	Users    int `json:"users"`
	Projects int `json:"projects"`
	Tasks    int `json:"tasks"`
}

// Person is a seeded member of the account, with a credential the workers use.
type Person struct {
	ID       int64  `json:"id"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Role     string `json:"role"`
	Password string `json:"-"`
	Token    string `json:"-"` // a personal API token (in-process) or a login token (-url)
}

// Env is the seeded account and how to reach it. The core seed fills it; module seeds read
// it and add their own data (Set); during the run it is read-only and shared by all workers.
type Env struct {
	BaseURL     string // http://127.0.0.1:PORT
	Slug        string // the account's slug, for /api/v1/{slug}/...
	AccountID   int64
	AccountName string
	// RunID is short and random, different on every run: names built from it do not collide
	// with a previous run's against the same server.
	RunID           string
	Size            Size
	Role            string // the role the run authenticates as (-role)
	People          []Person
	Teams           []int64
	ClientCompanyID int64
	// App is the in-process App, to seed through its services; nil against a running server
	// (-url), where seeds go through the HTTP API.
	App *app.App

	http     *http.Client
	progress io.Writer
	data     map[string]any
}

// Set keeps a value for the scenarios (a module's seeded ids), under a key prefixed by the
// module's name ("projects.ids").
func (e *Env) Set(key string, v any) {
	if e.data == nil {
		e.data = map[string]any{}
	}
	e.data[key] = v
}

// Get returns what Set kept under key, or nil.
func (e *Env) Get(key string) any { return e.data[key] }

// Progressf prints a progress line of the seed (to stderr).
func (e *Env) Progressf(format string, args ...any) {
	if e.progress != nil {
		fmt.Fprintf(e.progress, "gcload: "+format+"\n", args...)
	}
}

// ByRole returns the seeded people with that role, in seed order.
func (e *Env) ByRole(role string) []Person {
	var out []Person
	for _, p := range e.People {
		if p.Role == role {
			out = append(out, p)
		}
	}
	return out
}

// First returns the first seeded person with that role (the owner for "owner").
func (e *Env) First(role string) (Person, error) {
	for _, p := range e.People {
		if p.Role == role {
			return p, nil
		}
	}
	return Person{}, fmt.Errorf("the seed has nobody with the role %q (raise -users)", role)
}

// Actor is p as the services see a request of theirs on the account's routes (role,
// capabilities), for in-process seeds that call services directly. Nil against -url.
func (e *Env) Actor(p Person) *actor.Actor {
	if e.App == nil {
		return nil
	}
	a := &actor.Actor{UserID: p.ID, Name: p.Name, Email: p.Email, Locale: "en", Role: p.Role, IP: "127.0.0.1", UserAgent: "gcload",
		Account: &actor.Account{ID: e.AccountID, Slug: e.Slug, Name: e.AccountName}}
	enf := e.App.Enforcer
	a.Can = func(object, action string) bool { return enf.Allowed(a.Role, e.Slug, object, action) }
	return a
}

// workerTokens gives worker i a token per role, spreading the workers over the people of each
// role (so the run looks like several people, not one); "" is the run's role.
func (e *Env) workerTokens(i int) map[string]string {
	out := map[string]string{}
	for _, r := range actor.Roles {
		if ps := e.ByRole(r); len(ps) > 0 {
			out[r] = ps[i%len(ps)].Token
		}
	}
	out[""] = out[e.Role]
	return out
}

// API returns a client that calls the server as p, for seeds that go through the HTTP API.
func (e *Env) API(p Person) *API { return &API{env: e, token: p.Token} }

// API calls the server outside the measurements (seeding), failing on any non-2xx answer.
type API struct {
	env   *Env
	token string
}

// Do sends in as JSON (nil: no body) and decodes a 2xx answer into out (nil: ignored); any
// other answer is a *StatusError.
func (c *API) Do(ctx context.Context, method, path string, in, out any) error {
	var rd io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.env.BaseURL+path, rd)
	if err != nil {
		return err
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.env.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &StatusError{Method: method, Path: path, Status: resp.StatusCode, Body: clip(strings.TrimSpace(string(body)), 500)}
	}
	if out != nil && len(body) > 0 {
		if err := json.Unmarshal(body, out); err != nil {
			return fmt.Errorf("%s %s: decode: %w", method, path, err)
		}
	}
	return nil
}

// Get decodes GET path into out.
func (c *API) Get(ctx context.Context, path string, out any) error {
	return c.Do(ctx, http.MethodGet, path, nil, out)
}

// Post sends in and decodes the answer into out.
func (c *API) Post(ctx context.Context, path string, in, out any) error {
	return c.Do(ctx, http.MethodPost, path, in, out)
}

// Put sends in (nil: no body) and decodes the answer into out.
func (c *API) Put(ctx context.Context, path string, in, out any) error {
	return c.Do(ctx, http.MethodPut, path, in, out)
}
