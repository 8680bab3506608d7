// Package example is a small module that exists to prove the module contract: it plugs into
// every seam of core/app.Registry — a capability with its matrix rows, an API route and a
// page with its template, catalogs and a static asset, a navigation entry, a published event
// contract with a typed subscriber, a port it provides, and its walker fixtures — from its own
// folder, without any other file naming it. Tests boot it beside core
// (core/app/example_test.go); no binary lists it.
//
// It keeps its notes in memory, per account (a real module keeps them in tables of its
// migrations; the example needs none to show the seams).
package example

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"sync"
	"sync/atomic"

	"github.com/gofiber/fiber/v2"
	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/app"
	"groupcamp/core/events"
	"groupcamp/core/problem"
	"groupcamp/core/testkit/example/contract"
	"groupcamp/core/web"
)

//go:embed views locales static policy.csv matrix.csv
var files embed.FS

// Module is the example module.
type Module struct {
	mu    sync.Mutex
	notes map[int64][]Note // by account
	seq   int64
	// Delivered counts the note_added events its typed subscriber received.
	Delivered atomic.Int64
	web       *web.Renderer
}

// Note is one note of an account.
type Note struct {
	ID   int64  `json:"id"`
	Text string `json:"text"`
}

// NoteInput is the body that adds a note.
type NoteInput struct {
	Text string `json:"text"`
}

// New returns the module.
func New() *Module { return &Module{notes: map[int64][]Note{}} }

// Name is "example".
func (*Module) Name() string { return "example" }

// Register plugs the module into every seam.
func (m *Module) Register(r *app.Registry) error {
	policy, _ := files.ReadFile("policy.csv")
	matrix, _ := files.ReadFile("matrix.csv")
	r.Capabilities(string(policy), string(matrix))
	if err := r.Mount(files, "example"); err != nil {
		return err
	}
	static, _ := fs.Sub(files, "static")
	if err := r.Assets(static); err != nil {
		return err
	}
	m.web = r.Web()
	r.Publish(contract.NoteAddedEvent)
	app.Subscribe(r, contract.NoteAddedEvent, "example.count", func(ctx context.Context, tx bun.Tx, ev *events.Event, p contract.NoteAdded) error {
		m.Delivered.Add(1)
		return nil
	})
	app.Provide[contract.Greeter](r, contract.GreeterPort, greeter{})
	r.Fixtures(fixtures{})

	read, write := api.Can("example.notes", "read"), api.Can("example.notes", "write")
	r.Get("/api/v1/:slug/example/notes", read, m.list, api.Doc{Summary: "The notes", Tag: "Example", Response: []Note{}})
	r.Post("/api/v1/:slug/example/notes", write, m.add(r.DB()), api.Doc{Summary: "Add a note", Tag: "Example", Request: NoteInput{}, Response: Note{}, Status: 201})
	r.Get("/api/v1/:slug/example/notes/:id", read, m.one, api.Doc{Summary: "One note", Tag: "Example", Response: Note{}})
	r.Get("/:slug/example", read, m.page)
	r.Nav(web.NavItem{Label: "example.nav", Path: "/example", Object: "example.notes", Action: "read", Order: 99})
	return nil
}

func (m *Module) list(c *fiber.Ctx) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return c.JSON(append([]Note{}, m.notes[actor.From(c).AccountID()]...))
}

func (m *Module) one(c *fiber.Ctx) error {
	id, err := api.PathID(c, "id")
	if err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for _, n := range m.notes[actor.From(c).AccountID()] {
		if n.ID == id {
			return c.JSON(n)
		}
	}
	return problem.NotFound()
}

func (m *Module) add(d *bun.DB) fiber.Handler {
	return func(c *fiber.Ctx) error {
		var in NoteInput
		if err := api.Decode(c, &in); err != nil {
			return err
		}
		if in.Text == "" || len(in.Text) > 200 {
			return problem.Invalid(problem.FieldError{Field: "text", Message: "must be 1 to 200 characters"})
		}
		a := actor.From(c)
		m.mu.Lock()
		m.seq++
		n := Note{ID: m.seq, Text: in.Text}
		m.notes[a.AccountID()] = append(m.notes[a.AccountID()], n)
		m.mu.Unlock()
		if _, err := contract.NoteAddedEvent.Emit(c.UserContext(), d, a.AccountID(), a.UserID, contract.NoteAdded{NoteID: n.ID, Text: n.Text}); err != nil {
			return err
		}
		return c.Status(fiber.StatusCreated).JSON(n)
	}
}

func (m *Module) page(c *fiber.Ctx) error {
	p := m.web.NewPage(c, "example.title")
	m.mu.Lock()
	p.Data = append([]Note{}, m.notes[actor.From(c).AccountID()]...)
	m.mu.Unlock()
	return m.web.Render(c, "example/index", p)
}

type greeter struct{}

func (greeter) Greet(name string) string { return "Hello, " + name }

// fixtures make a note for the walkers.
type fixtures struct{}

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	id, err := app.Created(c, "POST", "/api/v1/"+c.Slug()+"/example/notes", map[string]any{"text": "A fixture note"})
	if err != nil {
		return nil, err
	}
	return app.Params{"notes/:id": id}, nil
}

func (fixtures) Body(method, path string, p app.Params, n int) (any, bool) {
	if method+" "+path == "POST /api/v1/:slug/example/notes" {
		return map[string]any{"text": fmt.Sprintf("Note %d", n)}, true
	}
	return nil, false
}

func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, p app.Params) (string, error) {
	return filled, nil
}
