package app_test

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"groupcamp/core/testkit"
)

// The benchmarks drive the whole middleware chain (request id, metrics and log, recover,
// authentication against the database, membership, Casbin) of a real App, on every database
// of testkit.Databases(). Allocations count both sides in the loopback ones: the net/http
// client lives in the same process.
//
// Besides wall time (ns/op), each reports cpu-ns/op: the CPU time of the whole process (server,
// client, GC) per request, from getrusage. On a shared 2-core machine, where other work
// stretches the wall time, it is the steadier figure.

// eachDBBench runs fn as a sub-benchmark per database, each with a fresh App.
func eachDBBench(b *testing.B, fn func(b *testing.B, e *testkit.Env)) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			fn(b, testkit.Start(b, kind, testkit.Options{}))
		})
	}
}

// loopGet issues GET path with the bearer token over one kept-alive loopback connection.
func loopGet(b *testing.B, e *testkit.Env, path, token string) {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1, DisableCompression: true}}
	defer client.CloseIdleConnections()
	req, err := http.NewRequest(http.MethodGet, e.URL+path, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	b.ReportAllocs()
	cpu := startCPU()
	for b.Loop() {
		cpu.n++
		resp, err := client.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatalf("GET %s: %d", path, resp.StatusCode)
		}
	}
	cpu.report(b)
}

// cpuMeter measures the process's CPU time over a benchmark loop.
type cpuMeter struct {
	start time.Duration
	n     int
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func startCPU() *cpuMeter { return &cpuMeter{start: processCPU()} }

func (m *cpuMeter) report(b *testing.B) {
	if m.n > 0 {
		b.ReportMetric(float64(processCPU()-m.start)/float64(m.n), "cpu-ns/op")
	}
}

// BenchmarkMe: an authenticated GET /api/v1/me over a real loopback HTTP connection.
func BenchmarkMe(b *testing.B) {
	eachDBBench(b, func(b *testing.B, e *testkit.Env) {
		acc := e.NewAccount()
		loopGet(b, e, "/api/v1/me", acc.Owner.Token)
	})
}

// BenchmarkAccountUsers: GET /api/v1/{slug}/users with 20 people in the account — token
// lookup, membership, Casbin and the list query.
func BenchmarkAccountUsers(b *testing.B) {
	eachDBBench(b, func(b *testing.B, e *testkit.Env) {
		acc := e.NewAccount()
		seedPeople(b, e, acc, 20)
		path := "/api/v1/" + acc.Slug + "/users"
		r := e.As(acc.Owner).Get(path)
		var list struct {
			Items []struct{ ID int64 } `json:"items"`
		}
		r.JSON(b, &list)
		if r.Status != http.StatusOK || len(list.Items) != 20 {
			b.Fatalf("GET %s: %d, %d people: %s", path, r.Status, len(list.Items), r.Body)
		}
		loopGet(b, e, path, acc.Owner.Token)
	})
}

// seedPeople invites people until the account has n (the owner included). Invitations need
// no password hashing, so seeding stays fast; the list shows invited people too.
func seedPeople(b *testing.B, e *testkit.Env, acc *testkit.Account, n int) {
	b.Helper()
	client := e.ClientCompany(acc)
	roles := []string{"admin", "manager", "member", "member", "member", "client"}
	for i := 1; i < n; i++ {
		role := roles[i%len(roles)]
		body := map[string]any{"name": fmt.Sprintf("Person %d", i), "email": fmt.Sprintf("person%d@%s.test", i, acc.Slug), "role": role}
		if role == "client" {
			body["company_id"] = client
		}
		if r := e.As(acc.Owner).Post("/api/v1/"+acc.Slug+"/users", body); r.Status != http.StatusCreated {
			b.Fatalf("invite %d: %d %s", i, r.Status, r.Body)
		}
	}
}

// BenchmarkMeInProcess: the same request handed straight to the Fiber handler through a
// fasthttp.RequestCtx: no sockets, no HTTP parsing, no client.
func BenchmarkMeInProcess(b *testing.B) {
	eachDBBench(b, func(b *testing.B, e *testkit.Env) {
		acc := e.NewAccount()
		handler := e.App.Fiber.Handler()
		var req fasthttp.Request
		req.Header.SetMethod(fasthttp.MethodGet)
		req.SetRequestURI("/api/v1/me")
		req.Header.Set(fasthttp.HeaderAuthorization, "Bearer "+acc.Owner.Token)
		var ctx fasthttp.RequestCtx
		ctx.Init(&req, &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 40000}, nil)

		handler(&ctx)
		if ctx.Response.StatusCode() != http.StatusOK || !strings.Contains(string(ctx.Response.Body()), acc.Owner.Email) {
			b.Fatalf("GET /api/v1/me: %d %s", ctx.Response.StatusCode(), ctx.Response.Body())
		}
		b.ReportAllocs()
		cpu := startCPU()
		for b.Loop() {
			cpu.n++
			ctx.Response.Reset()
			handler(&ctx)
			if ctx.Response.StatusCode() != http.StatusOK {
				b.Fatalf("GET /api/v1/me: %d", ctx.Response.StatusCode())
			}
		}
		cpu.report(b)
	})
}
