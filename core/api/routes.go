// Package api holds the HTTP conventions every module follows: routes registered together
// with the guard they need (so an unguarded route cannot exist), strict JSON decoding,
// RFC 9457 problem responses, cursor pagination, and the OpenAPI document assembled from the
// registered routes.
package api

import (
	"strings"

	"github.com/gofiber/fiber/v2"
)

// Guard says what a route needs before its handler runs.
type Guard struct {
	Public        bool   // anyone, signed in or not
	Authenticated bool   // any signed-in user; no account involved
	Platform      string // a platform role ("support", "partner"; "*" for either)
	Object        string // with Action: a capability in the route's account (:slug)
	Action        string
}

// Public marks a route that anyone may call.
func Public() Guard { return Guard{Public: true} }

// Authenticated marks a route for any signed-in user, outside any account.
func Authenticated() Guard { return Guard{Authenticated: true} }

// Platform marks a route for platform staff of the given role ("*" for support or partner).
func Platform(role string) Guard { return Guard{Platform: role} }

// Can marks an account route that needs the capability object:action. The path must carry
// the account as :slug.
func Can(object, action string) Guard { return Guard{Object: object, Action: action} }

// Capability is "object:action", or "" for public, authenticated and platform routes.
func (g Guard) Capability() string {
	if g.Object == "" {
		return ""
	}
	return g.Object + ":" + g.Action
}

// Valid reports whether the guard declares exactly one kind of protection.
func (g Guard) Valid() bool {
	n := 0
	if g.Public {
		n++
	}
	if g.Authenticated {
		n++
	}
	if g.Platform != "" {
		n++
	}
	if g.Object != "" && g.Action != "" {
		n++
	}
	return n == 1
}

// Doc documents a route for the OpenAPI document.
type Doc struct {
	Summary  string
	Tag      string
	Request  any // a struct value whose JSON shape is the request body
	Response any // a struct value whose JSON shape is the success body
	Status   int // success status (default 200)
	Query    []Param

	// Description is a longer text (CommonMark), for what the summary cannot say.
	Description string

	// Example is the request body shown to integrators. Without it, the example is assembled
	// from the `example` tags of the Request struct's fields (see OpenAPI).
	Example any

	// MaxBody is the largest request body the route reads, when it takes more than MaxRequest
	// (an upload): the server lets such a body in for this route only, and gives its reading
	// time to match (core/app, bodylimit.go). 0 is MaxRequest.
	MaxBody int64
	// Upload names the part of a multipart/form-data body that carries a file: the OpenAPI
	// document offers that body beside Request's JSON (a binary part of that name).
	Upload string
	// Stream marks a route whose answer streams a file: the server gives its writing more
	// time than the other answers get.
	Stream bool
	// Challenge is the WWW-Authenticate the route's 401 carries (WebDAV: clients such as file
	// managers sign in with HTTP Basic only once challenged); "" for none.
	Challenge string
}

// Param is a documented query parameter.
type Param struct {
	Name, Type, Description string
	// Enum lists the accepted values, Format refines Type ("date", "date-time", "email",
	// "int64"), Required marks a parameter the route cannot do without.
	Enum     []string
	Format   string
	Required bool
	// Pattern is a regular expression the value matches (a comma-separated list of choices,
	// which an enum cannot say).
	Pattern string
}

// Route is one registered endpoint.
type Route struct {
	Method  string
	Path    string
	Guard   Guard
	Handler fiber.Handler
	Doc     Doc
	// Module is the module that registered the route ("" for core).
	Module string
}

// IsAPI reports whether the route belongs to the JSON API.
func (r Route) IsAPI() bool { return strings.HasPrefix(r.Path, "/api/v1/") }

// Routes collects routes from core and the modules; the app mounts them with their guards.
type Routes struct {
	all    *[]Route
	module string
}

// For is a view of rs that registers routes on behalf of a module (Route.Module).
func (rs *Routes) For(module string) *Routes {
	rs.init()
	return &Routes{all: rs.all, module: module}
}

func (rs *Routes) init() {
	if rs.all == nil {
		rs.all = new([]Route)
	}
}

// Handle registers a route.
func (rs *Routes) Handle(method, path string, g Guard, h fiber.Handler, doc ...Doc) {
	rs.init()
	r := Route{Method: method, Path: path, Guard: g, Handler: h, Module: rs.module}
	if len(doc) > 0 {
		r.Doc = doc[0]
	}
	if !g.Valid() {
		panic("api: route " + method + " " + path + " has no valid guard")
	}
	if g.Object != "" && !strings.Contains(path, ":slug") {
		panic("api: route " + method + " " + path + " checks a capability but has no :slug")
	}
	*rs.all = append(*rs.all, r)
}

func (rs *Routes) Get(p string, g Guard, h fiber.Handler, d ...Doc) {
	rs.Handle(fiber.MethodGet, p, g, h, d...)
}
func (rs *Routes) Post(p string, g Guard, h fiber.Handler, d ...Doc) {
	rs.Handle(fiber.MethodPost, p, g, h, d...)
}
func (rs *Routes) Put(p string, g Guard, h fiber.Handler, d ...Doc) {
	rs.Handle(fiber.MethodPut, p, g, h, d...)
}
func (rs *Routes) Patch(p string, g Guard, h fiber.Handler, d ...Doc) {
	rs.Handle(fiber.MethodPatch, p, g, h, d...)
}
func (rs *Routes) Delete(p string, g Guard, h fiber.Handler, d ...Doc) {
	rs.Handle(fiber.MethodDelete, p, g, h, d...)
}

// All returns the registered routes in registration order.
func (rs *Routes) All() []Route {
	if rs.all == nil {
		return nil
	}
	return *rs.all
}
