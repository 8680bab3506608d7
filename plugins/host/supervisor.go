package host

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/hashicorp/go-hclog"
	goplugin "github.com/hashicorp/go-plugin"

	"groupcamp/plugins/sdk"
	"groupcamp/plugins/sdk/pluginv1"
)

// States of a plugin, as the admin page shows them.
const (
	StateStopped = "stopped" // discovered, not running (started on first use)
	StateRunning = "running"
	StateFailed  = "failed"  // crashed past its restart budget: stays down until a rescan
	StateRefused = "refused" // its binary does not match its manifest's checksum
	StateInvalid = "invalid" // its manifest is unreadable or wrong
)

// ErrUnavailable is what a call to a plugin that cannot answer returns (not installed,
// refused, failed, crashed, or past its deadline): callers show the part as unavailable.
var ErrUnavailable = errors.New("plugin unavailable")

// Status is a plugin as the admins see it.
type Status struct {
	Manifest
	Folder   string    `json:"folder"`
	State    string    `json:"state"`
	Reason   string    `json:"reason,omitempty"`
	Crashes  int       `json:"crashes"` // in the budget's window
	Restarts int       `json:"restarts"`
	Since    time.Time `json:"since"`
}

// proc is one discovered plugin and its process, if running.
type proc struct {
	dir string

	mu        sync.Mutex
	m         Manifest
	state     string
	reason    string
	since     time.Time
	client    *goplugin.Client
	rpc       *sdk.Client
	crashes   []time.Time
	restarts  int
	notBefore time.Time // back-off: no start before
}

// Supervisor discovers the plugins of a folder, starts them on first use, health-checks and
// restarts them within a budget, calls them under a deadline, and stops them on Close. It is
// Mattermost's supervisor and health check in small, over go-plugin's gRPC with AutoMTLS and
// the manifest's checksum as its SecureConfig.
type Supervisor struct {
	Dir string
	Log *slog.Logger
	// CallTimeout bounds every call to a plugin (default 3 s); StartTimeout its start (10 s).
	CallTimeout, StartTimeout time.Duration
	// Budget crashes within Window mark a plugin failed (default 3 in an hour); Backoff is
	// the wait before the n-th restart in the window (default 0, 1 s, 4 s).
	Budget  int
	Window  time.Duration
	Backoff []time.Duration
	// API serves the Host API to the plugin named; set before the first call.
	API func(plugin string) pluginv1.HostServiceServer
	// Authz holds the grants of the calls in progress, checked by the Host API.
	Authz *Grants
	// OnFailed hears of a plugin marked failed, once per failure (the next is after a rescan
	// gave it a new budget). It runs with the plugin's lock held: it must not call the
	// supervisor back.
	OnFailed func(plugin, reason string)

	tokens scopes

	mu     sync.RWMutex
	procs  map[string]*proc
	closed bool
}

func (s *Supervisor) callTimeout() time.Duration {
	if s.CallTimeout > 0 {
		return s.CallTimeout
	}
	return 3 * time.Second
}

// Scan (re)reads the folder: a plugin whose manifest or binary changed is stopped and
// checked again; one gone is stopped and forgotten. A binary whose SHA-256 differs from its
// manifest is refused. No folder configured: no plugins.
func (s *Supervisor) Scan() error {
	found := map[string]*proc{}
	if s.Dir != "" {
		entries, err := os.ReadDir(s.Dir)
		if err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("GROUPCAMP_PLUGINS_DIR: %w", err)
		}
		for _, e := range entries {
			if !e.IsDir() {
				continue
			}
			dir := filepath.Join(s.Dir, e.Name())
			p := &proc{dir: dir, since: time.Now(), state: StateStopped}
			m, err := readManifest(dir)
			switch {
			case errors.Is(err, os.ErrNotExist):
				continue // a folder without manifest is no plugin
			case err != nil:
				p.m, p.state, p.reason = Manifest{Name: e.Name()}, StateInvalid, err.Error()
			default:
				p.m = *m
				if sum, err := FileSHA256(filepath.Join(dir, m.Binary)); err != nil {
					p.state, p.reason = StateRefused, "binary: "+err.Error()
				} else if sum != m.SHA256 {
					p.state, p.reason = StateRefused, "the binary's SHA-256 does not match the manifest"
				}
			}
			if prev, dup := found[p.m.Name]; dup {
				p.state, p.reason = StateInvalid, "another folder ("+filepath.Base(prev.dir)+") has a plugin of this name"
				p.m.Name = e.Name()
			}
			found[p.m.Name] = p
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.procs == nil {
		s.procs = map[string]*proc{}
	}
	for name, old := range s.procs {
		nw, ok := found[name]
		old.mu.Lock()
		same := ok && nw.dir == old.dir && nw.m.SHA256 == old.m.SHA256 && nw.state == StateStopped && old.state != StateInvalid && old.state != StateRefused
		old.mu.Unlock()
		if same {
			old.mu.Lock()
			old.m = nw.m // a manifest edited without a new binary: take its new declarations
			if old.state == StateFailed {
				old.state, old.reason, old.crashes = StateStopped, "", nil // a rescan gives a failed plugin another budget
			}
			old.mu.Unlock()
			found[name] = old
			continue
		}
		old.stop()
	}
	s.procs = found
	for name, p := range found {
		if p.state == StateRefused || p.state == StateInvalid {
			s.Log.Warn("plugin not loaded", "plugin", name, "state", p.state, "reason", p.reason)
		}
	}
	return nil
}

// Manifest is the manifest of a plugin that can run (not refused nor invalid).
func (s *Supervisor) Manifest(name string) (*Manifest, bool) {
	s.mu.RLock()
	p := s.procs[name]
	s.mu.RUnlock()
	if p == nil {
		return nil, false
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.state == StateRefused || p.state == StateInvalid {
		return nil, false
	}
	m := p.m
	return &m, true
}

// Statuses lists every discovered plugin by name.
func (s *Supervisor) Statuses() []Status {
	s.mu.RLock()
	out := make([]Status, 0, len(s.procs))
	for _, p := range s.procs {
		p.mu.Lock()
		if p.client != nil && p.client.Exited() {
			p.state = StateStopped // crashed since: the next call restarts it
		}
		out = append(out, Status{Manifest: p.m, Folder: filepath.Base(p.dir), State: p.state, Reason: p.reason, Crashes: len(p.crashes), Restarts: p.restarts, Since: p.since})
		p.mu.Unlock()
	}
	s.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Runnable lists the manifests of the plugins that can run.
func (s *Supervisor) Runnable() []Manifest {
	var out []Manifest
	for _, st := range s.Statuses() {
		if st.State != StateRefused && st.State != StateInvalid {
			out = append(out, st.Manifest)
		}
	}
	return out
}

// client answers the running plugin's client, starting it when it is not running and its
// back-off allows.
func (s *Supervisor) client(name string) (*proc, *goplugin.Client, *sdk.Client, error) {
	s.mu.RLock()
	p, closed := s.procs[name], s.closed
	s.mu.RUnlock()
	if p == nil || closed {
		return nil, nil, nil, ErrUnavailable
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client != nil && p.client.Exited() {
		s.crashed(p, "the process exited")
	}
	switch p.state {
	case StateRunning:
		return p, p.client, p.rpc, nil
	case StateFailed, StateRefused, StateInvalid:
		return p, nil, nil, ErrUnavailable
	}
	if time.Now().Before(p.notBefore) {
		return p, nil, nil, ErrUnavailable
	}
	if err := s.start(p); err != nil {
		s.crashed(p, err.Error())
		return p, nil, nil, ErrUnavailable
	}
	return p, p.client, p.rpc, nil
}

// start launches p's binary (p.mu held) and connects the Host API.
func (s *Supervisor) start(p *proc) error {
	sum, _ := hex.DecodeString(p.m.SHA256)
	timeout := s.StartTimeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	// A fresh exec.Cmd each start: go-plugin's SecureConfig checks the binary it is about
	// to run against the manifest's checksum, so a binary replaced since the scan is refused.
	cmd := exec.Command(filepath.Join(p.dir, p.m.Binary))
	cmd.Dir = p.dir
	cmd.Env = []string{"PATH=/usr/bin:/bin"} // the plugin gets none of the server's secrets
	c := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  sdk.Handshake,
		VersionedPlugins: sdk.PluginSets(nil),
		Cmd:              cmd,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		SecureConfig:     &goplugin.SecureConfig{Checksum: sum, Hash: sha256.New()},
		StartTimeout:     timeout,
		Logger:           hclog.New(&hclog.LoggerOptions{Name: "plugin." + p.m.Name, Output: io.Discard, Level: hclog.Off}),
	})
	proto, err := c.Client()
	if err != nil {
		c.Kill()
		if errors.Is(err, goplugin.ErrChecksumsDoNotMatch) {
			p.state, p.reason = StateRefused, "the binary's SHA-256 does not match the manifest"
		}
		return err
	}
	raw, err := proto.Dispense(sdk.PluginKey)
	if err != nil {
		c.Kill()
		return err
	}
	rpc, ok := raw.(*sdk.Client)
	if !ok {
		c.Kill()
		return fmt.Errorf("dispensed %T", raw)
	}
	var id uint32
	if s.API != nil {
		id = rpc.ServeHost(s.API(p.m.Name))
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.callTimeout())
	defer cancel()
	if _, err := rpc.Init(ctx, &pluginv1.InitRequest{HostBrokerId: id, HostVersion: "groupcamp"}); err != nil {
		c.Kill()
		return fmt.Errorf("init: %w", err)
	}
	if p.client != nil || p.restarts > 0 || len(p.crashes) > 0 {
		p.restarts++
	}
	p.client, p.rpc, p.state, p.reason, p.since = c, rpc, StateRunning, "", time.Now()
	s.Log.Info("plugin started", "plugin", p.m.Name, "version", p.m.Version)
	return nil
}

// crashed counts a crash of p (p.mu held), kills what is left of it, and sets its back-off,
// or marks it failed past its budget.
func (s *Supervisor) crashed(p *proc, why string) {
	if p.client != nil {
		p.client.Kill()
		p.client, p.rpc = nil, nil
	}
	if p.state == StateRefused {
		return
	}
	now := time.Now()
	window, budget := s.Window, s.Budget
	if window <= 0 {
		window = time.Hour
	}
	if budget <= 0 {
		budget = 3
	}
	kept := p.crashes[:0]
	for _, t := range p.crashes {
		if now.Sub(t) < window {
			kept = append(kept, t)
		}
	}
	p.crashes = append(kept, now)
	p.since, p.reason = now, why
	if len(p.crashes) >= budget {
		p.state = StateFailed
		s.Log.Error("plugin failed: it crashed too often", "plugin", p.m.Name, "crashes", len(p.crashes), "reason", why)
		if s.OnFailed != nil {
			s.OnFailed(p.m.Name, why)
		}
		return
	}
	backoff := s.Backoff
	if backoff == nil {
		backoff = []time.Duration{0, time.Second, 4 * time.Second}
	}
	wait := backoff[min(len(p.crashes)-1, len(backoff)-1)]
	p.state, p.notBefore = StateStopped, now.Add(wait)
	s.Log.Warn("plugin crashed", "plugin", p.m.Name, "crashes", len(p.crashes), "restart_in", wait.String(), "reason", why)
}

// failedCall looks at a failed call to the process cl: a process that exited, or whose
// connection broke (Unavailable), counts as a crash — once, whatever the number of calls
// that failed with it.
func (s *Supervisor) failedCall(p *proc, cl *goplugin.Client, broken bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.client == nil || p.client != cl {
		return // already counted, or restarted since
	}
	if broken || cl.Exited() {
		s.crashed(p, "the process exited during a call")
	}
}

// Check is one round of health checks: each running plugin is pinged under the call
// deadline; one that exited or does not answer is killed and counted as crashed, and
// restarted at once when its back-off allows.
func (s *Supervisor) Check() {
	s.mu.RLock()
	procs := make([]*proc, 0, len(s.procs))
	for _, p := range s.procs {
		procs = append(procs, p)
	}
	s.mu.RUnlock()
	for _, p := range procs {
		p.mu.Lock()
		rpc, running := p.rpc, p.state == StateRunning
		exited := p.client != nil && p.client.Exited()
		p.mu.Unlock()
		if !running {
			continue
		}
		if !exited {
			ctx, cancel := context.WithTimeout(context.Background(), s.callTimeout())
			_, err := rpc.Ping(ctx, &pluginv1.PingRequest{})
			cancel()
			if err == nil {
				continue
			}
		}
		p.mu.Lock()
		s.crashed(p, "no answer to the health check")
		p.mu.Unlock()
		_, _, _, _ = s.client(p.m.Name) // restart now if the back-off allows
	}
}

// Run health-checks every interval until ctx ends.
func (s *Supervisor) Run(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.Check()
		}
	}
}

// Close stops every plugin; calls after it answer ErrUnavailable.
func (s *Supervisor) Close() {
	s.mu.Lock()
	s.closed = true
	procs := s.procs
	s.mu.Unlock()
	for _, p := range procs {
		p.stop()
	}
}

// stop ends p's process (gracefully: go-plugin asks, then kills).
func (p *proc) stop() {
	p.mu.Lock()
	c := p.client
	p.client, p.rpc = nil, nil
	if p.state == StateRunning {
		p.state = StateStopped
	}
	p.mu.Unlock()
	if c != nil {
		c.Kill()
	}
}
