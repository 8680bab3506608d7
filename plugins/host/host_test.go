package host_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"groupcamp/core/testkit"
	"groupcamp/plugins/host"
)

// The status report renders, for the client, the progress of what was shared with them:
// the client's project, its shared list only, never the internal project or list.
func TestStatusReportSectionForTheClient(t *testing.T) {
	shared(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		page := "/" + o.acc.Slug + "/portal/plugins"
		if r := e.As(o.cli).Get(page); r.Status != http.StatusOK || !strings.Contains(r.String(), "Nothing here yet") {
			t.Fatalf("before enabling: %d %s", r.Status, r.Body)
		}
		p := o.enable(t, "status-report", nil, nil)
		if !p.Enabled || len(p.Granted) != 6 {
			t.Fatalf("enabled: %+v", p)
		}
		r := e.As(o.cli).Get(page)
		if r.Status != http.StatusOK {
			t.Fatalf("portal: %d %s", r.Status, r.Body)
		}
		body := r.String()
		for _, want := range []string{"Project status", "Website", "Launch", "1/2"} {
			if !strings.Contains(body, want) {
				t.Errorf("the section lacks %q", want)
			}
		}
		for _, leak := range []string{"Secret internal", "1/3", "unavailable right now"} {
			if strings.Contains(body, leak) {
				t.Errorf("the section shows %q", leak)
			}
		}
		if strings.Contains(body, "Project status (team)") {
			t.Errorf("the client's portal shows the colleagues' home section")
		}
		// The section placed on the home shows there to colleagues, reading as the colleague.
		if r := e.As(o.member).Get("/" + o.acc.Slug); r.Status != http.StatusOK || !strings.Contains(r.String(), "Project status (team)") || !strings.Contains(r.String(), "Launch") {
			t.Errorf("a colleague's home: %d, the plugin's home section missing", r.Status)
		}
		if r := e.As(o.cli).Get("/" + o.acc.Slug); strings.Contains(r.String(), "Project status (team)") {
			t.Errorf("the client's home shows the colleagues' section: %d", r.Status)
		}
		// The same report over the plugin's endpoint, served sandboxed.
		r = e.As(o.cli).Get("/" + o.acc.Slug + "/x/status-report/progress.json")
		if r.Status != http.StatusOK || !strings.Contains(r.String(), `"done":1,"total":2`) || !strings.Contains(r.Header.Get("Content-Security-Policy"), "sandbox") {
			t.Fatalf("endpoint: %d %v %s", r.Status, r.Header, r.Body)
		}
		// A client guessing the id of a project not shared with them, through the plugin's
		// endpoint, gets 404 as everywhere; the shared project's tasks leave out the internal list.
		x := "/" + o.acc.Slug + "/x/status-report"
		for _, p := range []string{"/milestones.json", "/tasks.json", "/files.json"} {
			if r := e.As(o.cli).Get(fmt.Sprintf("%s%s?project=%d", x, p, o.internal)); r.Status != http.StatusNotFound {
				t.Errorf("the client guessing the internal project at %s: %d %s", p, r.Status, r.Body)
			}
		}
		if r := e.As(o.cli).Get(fmt.Sprintf("%s/tasks.json?project=%d", x, o.project)); r.Status != http.StatusOK || !strings.Contains(r.String(), "Design") || strings.Contains(r.String(), "Budget review") {
			t.Errorf("the client's tasks of the shared project: %d %s", r.Status, r.Body)
		}
		if r := e.As(o.cli).Get("/" + o.acc.Slug + "/x/bad/anything"); r.Status != http.StatusNotFound {
			t.Fatalf("a plugin not enabled: %d", r.Status)
		}
		// Another account's client sees nothing of it: the plugin is enabled per account.
		b := newOffice(t, e)
		if r := e.As(b.cli).Get("/" + b.acc.Slug + "/portal/plugins"); strings.Contains(r.String(), "Website") && strings.Contains(r.String(), "Project status") {
			t.Fatalf("account B sees A's plugin section")
		}
		if r := e.As(b.cli).Get("/" + b.acc.Slug + "/x/status-report/progress.json"); r.Status != http.StatusNotFound {
			t.Fatalf("account B reaches A's plugin endpoint: %d", r.Status)
		}
	})
}

// A capability the admin did not grant is PermissionDenied from the Host API: the plugin's
// section fails with it (and the page shows the section unavailable).
func TestUngrantedCapabilityIsPermissionDenied(t *testing.T) {
	shared(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		o.enable(t, "status-report", []string{"projects.read"}, nil)
		r := e.As(o.cli).Get("/" + o.acc.Slug + "/portal/plugins")
		if r.Status != http.StatusOK || !strings.Contains(r.String(), "unavailable right now") {
			t.Fatalf("portal: %d %s", r.Status, r.Body)
		}
		svc := service(t, e)
		_, err := svc.Sup.RenderSection(context.Background(), "status-report", "status", host.Scope{AccountID: o.acc.ID, Slug: o.acc.Slug, Granted: []string{"projects.read"}})
		var ce *host.CallError
		if !errors.As(err, &ce) || status.Code(ce.Err) != codes.PermissionDenied {
			t.Fatalf("want PermissionDenied, got %v", err)
		}
		// Granted in the row but not asked by the call's scope: still refused (both must hold).
		_, err = svc.Sup.RenderSection(context.Background(), "status-report", "status", host.Scope{AccountID: o.acc.ID, Slug: o.acc.Slug})
		if !errors.As(err, &ce) || status.Code(ce.Err) != codes.PermissionDenied {
			t.Fatalf("want PermissionDenied without grants, got %v", err)
		}
	})
}

// The deliberately bad plugin crashes, hangs and answers junk: the page renders every time,
// its sections say unavailable (junk is sanitized), the good plugin's section is there, the
// crashing one is restarted and, past its budget, marked failed for the admins.
func TestBadPluginNeverBreaksThePage(t *testing.T) {
	each(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		o.enable(t, "status-report", nil, nil)
		o.enable(t, "bad", nil, nil)
		page := "/" + o.acc.Slug + "/portal/plugins"
		for i := range 3 {
			r := e.As(o.cli).Get(page)
			if r.Status != http.StatusOK {
				t.Fatalf("render %d: %d %s", i, r.Status, r.Body)
			}
			body := r.String()
			if !strings.Contains(body, "Launch") {
				t.Errorf("render %d: the good plugin's section is missing", i)
			}
			if n := strings.Count(body, "unavailable right now"); n < 2 {
				t.Errorf("render %d: %d sections unavailable, want crash and hang at least", i, n)
			}
			for _, bad := range []string{"<script>alert", "onclick", "javascript:"} {
				if strings.Contains(body, bad) {
					t.Errorf("render %d: the junk kept %q", i, bad)
				}
			}
		}
		var list host.PluginList
		e.As(o.owner).Get(o.base+"/plugins").JSON(t, &list)
		for _, p := range list.Items {
			if p.Name == "bad" && p.State != host.StateFailed {
				t.Errorf("bad after 3 crashes: %s (%s)", p.State, p.Reason)
			}
			if p.Name == "status-report" && p.State != host.StateRunning {
				t.Errorf("status-report: %s (%s)", p.State, p.Reason)
			}
		}
		admin := e.As(o.owner).Get("/" + o.acc.Slug + "/admin/plugins")
		if admin.Status != http.StatusOK || !strings.Contains(admin.String(), "Failed") {
			t.Fatalf("admin page: %d", admin.Status)
		}
		// The account's admins heard of the failure once (a render past it adds nothing), in
		// their notifications, leading to the admin page; a member did not.
		e.As(o.cli).Get(page)
		failed := func(u *testkit.User) (n int, link string) {
			var notes struct{ Items []struct{ Text, Link string } }
			e.As(u).Get(o.base+"/notifications").JSON(t, &notes)
			for _, it := range notes.Items {
				if strings.Contains(it.Text, "The plugin bad stopped") {
					n, link = n+1, it.Link
				}
			}
			return n, link
		}
		if n, link := failed(o.owner); n != 1 || !strings.HasSuffix(link, "/admin/plugins") {
			t.Errorf("the owner's notices of the failure: %d (%s)", n, link)
		}
		if n, _ := failed(o.member); n != 0 {
			t.Errorf("a member was told: %d", n)
		}
	})
}

// Events go to the webhook forwarder from the outbox, signed, with their id; the bad plugin,
// which hangs on every event, delays only its own deliveries.
func TestEventsReachTheForwarderPastAHangingPlugin(t *testing.T) {
	each(t, func(t *testing.T, e *testkit.Env) {
		var mu sync.Mutex
		var got []map[string]any
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			if !strings.HasPrefix(r.Header.Get("X-GroupCamp-Signature"), "t=") {
				w.WriteHeader(http.StatusBadRequest)
				return
			}
			var m map[string]any
			_ = json.Unmarshal(b, &m)
			mu.Lock()
			got = append(got, m)
			mu.Unlock()
		}))
		defer srv.Close()
		o := newOffice(t, e)
		o.enable(t, "webhook-forwarder", nil, map[string]any{"url": srv.URL, "secret": "s3cret-key"})
		o.enable(t, "bad", nil, nil)
		list := o.created(t, e.As(o.owner), fmt.Sprintf("/projects/%d/lists", o.internal), map[string]any{"name": "Later"})
		o.created(t, e.As(o.owner), fmt.Sprintf("/projects/%d/tasks", o.internal), map[string]any{"list_id": list, "title": "Forwarded"})
		e.Settle()
		svc := service(t, e)
		waiting := func() map[string]int {
			w, err := svc.Waiting(context.Background(), o.acc.ID)
			if err != nil {
				t.Fatal(err)
			}
			return w
		}
		for i := 0; waiting()["bad"] == 0; i++ {
			if i == 100 {
				t.Fatalf("nothing recorded for the bad plugin: %v", waiting())
			}
			time.Sleep(50 * time.Millisecond)
		}
		// The job may have run already (kicked by the event); a pass of our own makes sure.
		// Deliveries are at least once: the receiver may see an event twice, never none.
		for range 20 {
			if _, err := svc.Deliver(context.Background()); err != nil {
				t.Fatal(err)
			}
			if w := waiting(); w["webhook-forwarder"] == 0 {
				break
			}
		}
		mu.Lock()
		var types []string
		for _, m := range got {
			types = append(types, fmt.Sprint(m["type"]))
			if m["id"] == nil || m["account"] != o.acc.Slug {
				t.Errorf("delivery %v", m)
			}
		}
		mu.Unlock()
		if !strings.Contains(strings.Join(types, ","), "task.created") {
			t.Fatalf("forwarded %v, want task.created", types)
		}
		if w := waiting(); w["webhook-forwarder"] != 0 || w["bad"] == 0 {
			t.Fatalf("after the pass: %v (the forwarder's delivered, the bad one's waiting)", w)
		}
		// The forwarder's daily job runs at midnight for the account, not at another minute.
		if n, err := svc.RunJobs(context.Background(), time.Date(2027, 3, 1, 0, 0, 30, 0, time.UTC)); err != nil || n < 1 {
			t.Fatalf("jobs at midnight: %d %v", n, err)
		}
		if n, err := svc.RunJobs(context.Background(), time.Date(2027, 3, 1, 0, 1, 0, 0, time.UTC)); err != nil || n != 0 {
			t.Fatalf("jobs at 00:01: %d %v", n, err)
		}
		mu.Lock()
		last := got[len(got)-1]
		mu.Unlock()
		if last["type"] != "plugin.ping" || last["account"] != o.acc.Slug {
			t.Fatalf("the job posted %v", last)
		}
		// Disabling drops what waits.
		if r := e.As(o.owner).Post(o.base+"/plugins/bad/disable", nil); r.Status != http.StatusOK {
			t.Fatalf("disable: %d %s", r.Status, r.Body)
		}
		if w := waiting(); w["bad"] != 0 {
			t.Fatalf("after disabling: %v", w)
		}
	})
}

// Only administrators manage plugins; bad choices are 422 with the field, and change nothing.
func TestEnableRules(t *testing.T) {
	shared(t, func(t *testing.T, e *testkit.Env) {
		o := newOffice(t, e)
		if r := e.As(o.member).Get(o.base + "/plugins"); r.Status != http.StatusForbidden {
			t.Fatalf("member lists: %d", r.Status)
		}
		if r := e.As(o.member).Post(o.base+"/plugins/status-report/enable", nil); r.Status != http.StatusForbidden {
			t.Fatalf("member enables: %d", r.Status)
		}
		own := e.As(o.owner)
		if r := own.Post(o.base+"/plugins/nope/enable", nil); r.Status != http.StatusNotFound {
			t.Fatalf("unknown plugin: %d", r.Status)
		}
		r := own.Post(o.base+"/plugins/status-report/enable", map[string]any{"capabilities": []string{"files.delete"}})
		if r.Status != http.StatusUnprocessableEntity || r.FieldErrors()["capabilities"] == "" {
			t.Fatalf("unknown capability: %d %s", r.Status, r.Body)
		}
		r = own.Post(o.base+"/plugins/webhook-forwarder/enable", map[string]any{"settings": map[string]string{"url": strings.Repeat("x", 3000)}})
		if r.Status != http.StatusUnprocessableEntity {
			t.Fatalf("long setting: %d %s", r.Status, r.Body)
		}
		var list host.PluginList
		own.Get(o.base+"/plugins").JSON(t, &list)
		if len(list.Items) != 3 {
			t.Fatalf("plugins: %+v", list.Items)
		}
		for _, p := range list.Items {
			if p.Enabled {
				t.Fatalf("a refused enable enabled %s", p.Name)
			}
		}
		if n := e.Count("audit_events"); n < 0 {
			t.Fatal(n)
		}
		o.enable(t, "webhook-forwarder", nil, map[string]any{"url": "https://example.invalid/h", "secret": "k-secret-1"})
		own.Get(o.base+"/plugins/webhook-forwarder").JSON(t, &list.Items[0])
		if p := list.Items[0]; !p.Enabled || strings.Join(p.Configured, ",") != "secret,url" {
			t.Fatalf("configured: %+v", p)
		}
		if r := own.Get(o.base + "/plugins/webhook-forwarder"); strings.Contains(r.String(), "example.invalid") {
			t.Fatalf("settings values are shown: %s", r.Body)
		}
		// The admin page renders the plugins and the audit has the change.
		if r := own.Get("/" + o.acc.Slug + "/admin/plugins"); r.Status != http.StatusOK || !strings.Contains(r.String(), "webhook-forwarder") {
			t.Fatalf("admin page: %d", r.Status)
		}
		if r := own.Get(o.base + "/audit?action=plugin.enabled"); !strings.Contains(r.String(), "plugin:webhook-forwarder") {
			t.Fatalf("audit: %d %s", r.Status, r.Body)
		}
	})
}

// Discovery refuses a binary that does not match its manifest (at the scan, and at the start
// when it is replaced after the scan), and names an invalid manifest.
func TestDiscoveryRefusesWhatDoesNotMatch(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	copyPlugin(t, "status-report", dir, "good")
	copyPlugin(t, "status-report", dir, "tampered")
	// The tampered folder's manifest names another plugin, and its binary changes.
	rewrite(t, filepath.Join(dir, "tampered", host.ManifestFile), func(m map[string]any) { m["name"] = "tampered" })
	appendTo(t, filepath.Join(dir, "tampered", "status-report"))
	// A section placed where no page shows it makes the manifest invalid.
	copyPlugin(t, "status-report", dir, "misplaced")
	rewrite(t, filepath.Join(dir, "misplaced", host.ManifestFile), func(m map[string]any) {
		m["name"], m["sections"] = "misplaced", []any{map[string]any{"key": "s", "title": "S", "place": "sidebar"}}
	})
	if err := os.MkdirAll(filepath.Join(dir, "broken"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "broken", host.ManifestFile), []byte(`{"name": "Bad Name!"}`), 0o644); err != nil {
		t.Fatal(err)
	}
	sup := &host.Supervisor{Dir: dir, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), CallTimeout: callTimeout}
	defer sup.Close()
	if err := sup.Scan(); err != nil {
		t.Fatal(err)
	}
	states := map[string]string{}
	for _, s := range sup.Statuses() {
		states[s.Name] = s.State
	}
	if states["status-report"] != host.StateStopped || states["tampered"] != host.StateRefused || states["broken"] != host.StateInvalid || states["misplaced"] != host.StateInvalid {
		t.Fatalf("states %v", states)
	}
	sc := host.Scope{AccountID: 1, Slug: "acme"}
	if _, err := sup.RenderSection(context.Background(), "tampered", "status", sc); !errors.Is(err, host.ErrUnavailable) {
		t.Fatalf("a refused plugin answered: %v", err)
	}
	// Replaced on disk after the scan: go-plugin's SecureConfig refuses it at the start.
	appendTo(t, filepath.Join(dir, "good", "status-report"))
	if _, err := sup.RenderSection(context.Background(), "status-report", "status", sc); !errors.Is(err, host.ErrUnavailable) {
		t.Fatalf("a replaced binary ran: %v", err)
	}
	for _, s := range sup.Statuses() {
		if s.Name == "status-report" && s.State != host.StateRefused {
			t.Fatalf("replaced binary: %s (%s)", s.State, s.Reason)
		}
	}
}

func copyPlugin(t *testing.T, name, dir, folder string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, folder), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{name, host.ManifestFile} {
		b, err := os.ReadFile(filepath.Join(pluginsDir, name, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, folder, f), b, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func rewrite(t *testing.T, path string, fn func(map[string]any)) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	fn(m)
	b, _ = json.Marshal(m)
	if err := os.WriteFile(path, b, 0o644); err != nil {
		t.Fatal(err)
	}
}

func appendTo(t *testing.T, path string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Write([]byte("tampered")); err != nil {
		t.Fatal(err)
	}
}

// A crashed plugin is back at its next call, and a health check restarts one that was killed.
func TestHealthCheckAndRestart(t *testing.T) {
	t.Parallel()
	sup := &host.Supervisor{Dir: pluginsDir, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), CallTimeout: callTimeout, Backoff: []time.Duration{0}}
	defer sup.Close()
	if err := sup.Scan(); err != nil {
		t.Fatal(err)
	}
	sc := host.Scope{AccountID: 1, Slug: "acme"}
	if _, err := sup.RenderSection(context.Background(), "bad", "junk", sc); err != nil {
		t.Fatal(err)
	}
	if _, err := sup.RenderSection(context.Background(), "bad", "crash", sc); !errors.Is(err, host.ErrUnavailable) {
		t.Fatalf("crash: %v", err)
	}
	start := time.Now()
	if _, err := sup.RenderSection(context.Background(), "bad", "junk", sc); err != nil {
		t.Fatalf("after a crash: %v", err)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("back after a crash in %v, want within 5 s (issue 18)", d)
	} else {
		t.Logf("back after a crash in %v", d)
	}
	sup.Check()
	for _, s := range sup.Statuses() {
		if s.Name == "bad" && (s.State != host.StateRunning || s.Crashes != 1 || s.Restarts != 1) {
			t.Fatalf("bad: %+v", s)
		}
	}
}
