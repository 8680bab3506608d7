// Package load is GroupCamp's load tool (cmd/gcload, `go tool task load`): it seeds an
// account at a chosen size, drives a weighted mix of API requests from N concurrent workers
// for a given time, and reports per scenario the requests, req/s, errors (with the first
// few answers) and p50/p95/p99/max latency, as a table or as JSON for CI.
//
// # Modes
//
// By default Run starts the App in this process the way `groupcamp serve` does (config,
// migrations, embedded broker, background work) on a loopback port over a temporary data
// dir: SQLite, unless GROUPCAMP_DATABASE_URL / GROUPCAMP_REDIS_URL point elsewhere. The seed
// then calls the services directly, and the memory reported at the end is this process's
// (server and driver together: an upper bound of the server's). With Options.URL it loads a
// running server instead, seeding through the HTTP API (sign-up must be open), and reports
// the memory of Options.PID when given.
//
// # The seed
//
// Core seeds one new account per run (slug load-RUNID): Size.Users people — 1 owner, 10 %
// admins, 25 % managers, 10 % clients of a client company, the rest members (20 people: 1, 2,
// 5, 10, 2) — one team per four people with the first a management team, and a token per
// person. Workers spread over the people of a role, so the load comes from several people.
// Then each module's Seed runs, in the order cmd/gcload lists them.
//
// # Measuring
//
// Each worker issues its requests back to back (a closed loop: the measured rate is what the
// server sustains at that concurrency, not an offered rate) over one shared keep-alive
// client. Latency runs from sending to the last byte read, into a per-worker log-bucket
// Histogram (3 % resolution) merged at the end, so workers share no lock. In-process, the run
// starts once the seed's background work is done (events relayed, job queues drained); a
// warm-up runs first and is not counted. The CPU the server used per request is reported
// beside req/s: on a shared machine req/s moves with the neighbours, CPU per request much less.
//
// # Adding a module's load
//
// A module contributes a Module value: a Seed that creates its data at env.Size, and
// Scenarios. For modules/projects, in a file modules/projects/load.go:
//
//	// Load is the projects module's part of the load tool.
//	func (m *Module) Load() load.Module {
//		return load.Module{
//			Name: "projects",
//			Seed: m.seedLoad,
//			Scenarios: []load.Scenario{
//				{Name: "tasks.page", Endpoint: "GET /api/v1/{slug}/projects/{id}/tasks?limit=50", Weight: 4,
//					Run: func(ctx context.Context, w *load.Worker) error {
//						ids := w.Env.Get("projects.ids").([]int64)
//						_, err := w.Get(ctx, fmt.Sprintf("/api/v1/%s/projects/%d/tasks?limit=50", w.Env.Slug, ids[w.Rand.IntN(len(ids))]))
//						return err
//					}},
//				{Name: "tasks.create", Endpoint: "POST /api/v1/{slug}/projects/{id}/tasks", Weight: 1, Run: ...},
//			},
//		}
//	}
//
// and list it in cmd/gcload/main.go, the same module value in the App's list and in the
// load's, so that its in-process seed reaches the service the App wired:
//
//	proj := projects.New()
//	return []app.Module{admin.New(), proj}, []load.Module{load.Core(), proj.Load()}
//
// The rules:
//
//   - Seed: in-process (env.App != nil) call the module's own service — the module value
//     registered in the App holds it after Register — as env.Actor(person) of a fitting role
//     (env.First("manager"), env.ByRole("member")); batch rows into few transactions where
//     the service allows it, since 20,000 tasks one transaction each is slow. Against -url
//     (env.App == nil) go through the API with env.API(person).Post(...). Keep what scenarios
//     need with env.Set("projects.ids", ids) and read it with env.Get. Read the size from
//     env.Size (Projects, Tasks); print progress with env.Progressf.
//   - Scenario.Run issues one request through w.Get/Post/Patch/Put/Delete with a path under
//     w.Env.Slug; the driver times it and counts non-2xx and transport errors. Return an
//     error only for a failed check of a 2xx answer. Keep per-worker state in w.Data (ids the
//     worker created, to update later); use w.Rand for choices and w.Unique(prefix) for
//     names that must be unique. Check cheaply (bytes.Contains) rather than decoding large
//     bodies: the driver shares the CPU with the server.
//   - Scenario.Role: leave empty to run as the run's role (-role, manager by default: the
//     targets are stated for a manager); name a role only when the endpoint needs more.
//   - Weight is the default share in the mix; weight 0 keeps a scenario out unless
//     -scenarios names it (for a costly one measured on its own).
//   - Name scenarios "<resource>.<verb>" (tasks.page, task.get, tasks.create): -scenarios and
//     the JSON report refer to them, and CI compares runs by them.
//
// A module's test can run its load in-process (see run_test.go): a tiny Size, a couple of
// seconds, and every scenario must show requests and no errors.
package load
