package webhooks_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"groupcamp/core/app"
	"groupcamp/core/config"
	"groupcamp/core/testkit"
	"groupcamp/modules"
	"groupcamp/modules/webhooks"
)

func TestMain(m *testing.M) { testkit.Main(m) }

// options boot every module, with local targets allowed: the receivers are httptest servers
// on the loopback interface (the refusal without it has its own test).
func options() testkit.Options {
	return testkit.Options{Modules: modules.All(), Config: func(c *config.Config) { c.WebhooksAllowLocal = true }}
}

// clocked is options with the webhooks service on clk from the start (set before the App serves,
// so no background work reads the clock while it changes).
func clocked(clk *clock) testkit.Options {
	o := options()
	o.BeforeServe = func(*app.App) {
		for _, m := range o.Modules {
			if w, ok := m.(*webhooks.Module); ok {
				w.Service().Now = clk.Now
			}
		}
	}
	return o
}

// eachClocked runs fn in parallel on every test database, each with an App of its own (its own
// modules) whose webhooks service runs on a clock the test moves.
func eachClocked(t *testing.T, fn func(t *testing.T, e *testkit.Env, clk *clock)) {
	t.Parallel()
	for _, kind := range testkit.Databases() {
		t.Run(kind, func(t *testing.T) {
			t.Parallel()
			clk := &clock{now: time.Now().UTC()}
			fn(t, testkit.Start(t, kind, clocked(clk)), clk)
		})
	}
}

// strict boots every module with the default: local targets refused.
func strict() testkit.Options { return testkit.Options{Modules: modules.All()} }

// service is the webhooks module's service of the App.
func service(t testing.TB, e *testkit.Env) *webhooks.Service {
	for _, m := range e.Modules {
		if w, ok := m.(*webhooks.Module); ok {
			return w.Service()
		}
	}
	t.Fatal("no webhooks module")
	return nil
}

// clock is a clock the test moves.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// received is one request a receiver got.
type received struct {
	Event, Signature, Delivery string
	Body                       []byte
}

// receiver is a real HTTP server standing for the integrator's end: it records what it gets
// and answers status.
type receiver struct {
	*httptest.Server
	mu     sync.Mutex
	got    []received
	status int
}

func newReceiver(t testing.TB, status int) *receiver {
	r := &receiver{status: status}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, _ := io.ReadAll(req.Body)
		r.mu.Lock()
		r.got = append(r.got, received{Event: req.Header.Get("X-GroupCamp-Event"), Signature: req.Header.Get("X-GroupCamp-Signature"), Delivery: req.Header.Get("X-GroupCamp-Delivery"), Body: body})
		st := r.status
		r.mu.Unlock()
		w.WriteHeader(st)
		io.WriteString(w, "thanks from the receiver "+strings.Repeat("x", 3000))
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *receiver) requests() []received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]received(nil), r.got...)
}

func (r *receiver) setStatus(st int) { r.mu.Lock(); r.status = st; r.mu.Unlock() }

// verify is the check a receiver makes (the README's): t and v1 from the header, the
// HMAC-SHA256 of "t.body" with the secret, compared in constant time, and not too old.
func verify(secret, header string, body []byte, now time.Time) bool {
	var ts, sig string
	for _, part := range strings.Split(header, ",") {
		k, v, _ := strings.Cut(part, "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			sig = v
		}
	}
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || now.Sub(time.Unix(t, 0)).Abs() > 5*time.Minute {
		return false
	}
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "."))
	mac.Write(body)
	return hmac.Equal([]byte(sig), []byte(hex.EncodeToString(mac.Sum(nil))))
}

// created posts body and returns the answer's id, failing on anything but 201.
func created(t testing.TB, c *testkit.Client, path string, body any) map[string]any {
	t.Helper()
	r := c.Post(path, body)
	if r.Status != http.StatusCreated {
		t.Fatalf("POST %s: %d %s", path, r.Status, r.Body)
	}
	return r.Map()
}

func idOf(m map[string]any) int64 { return int64(m["id"].(float64)) }
