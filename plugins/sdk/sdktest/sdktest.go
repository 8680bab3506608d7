// Package sdktest runs a plugin in-process against a fake host, over the same gRPC glue the
// real host uses (go-plugin's TestPluginGRPCConn and its broker), so that a partner unit-tests
// a plugin with `go test` and no GroupCamp server:
//
//	h := sdktest.New(t, myPlugin)
//	h.Host.Projects = []sdk.Project{{ID: 1, Name: "Website", Active: true}}
//	html, err := h.Section(sdktest.Call(1, "acme"), "status")
//
// The fake host grants every capability unless Denied names it; its data is what the test
// puts in its fields.
package sdktest

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"groupcamp/plugins/sdk"
	"groupcamp/plugins/sdk/pluginv1"
)

// Harness is a plugin served in-process, with its fake host.
type Harness struct {
	Host   *FakeHost
	Client *sdk.Client
	// Timeout bounds each call, as the real host does (5 s by default).
	Timeout time.Duration
}

// New serves p in-process for the test's duration and connects it to a fresh FakeHost.
func New(t testing.TB, p *sdk.Plugin) *Harness {
	t.Helper()
	client, srv := plugin.TestPluginGRPCConn(t, false, map[string]plugin.Plugin{sdk.PluginKey: &sdk.GRPCPlugin{Impl: p}})
	// The server first, then the client: the client's Close asks the server to stop itself (a
	// Shutdown call) on another goroutine, and go-plugin's Stop is not safe to run twice at
	// once — -race caught the two. Closing a client whose server is gone just fails its call.
	t.Cleanup(func() { srv.Stop(); _ = client.Close() })
	raw, err := client.Dispense(sdk.PluginKey)
	if err != nil {
		t.Fatalf("dispense: %v", err)
	}
	h := &Harness{Host: &FakeHost{}, Client: raw.(*sdk.Client), Timeout: 5 * time.Second}
	id := h.Client.ServeHost(h.Host)
	ctx, cancel := context.WithTimeout(context.Background(), h.Timeout)
	defer cancel()
	if _, err := h.Client.Init(ctx, &pluginv1.InitRequest{HostBrokerId: id, HostVersion: "sdktest"}); err != nil {
		t.Fatalf("init: %v", err)
	}
	return h
}

// Call is a call for the account (id, slug) with no settings.
func Call(accountID int64, slug string) sdk.Call {
	return sdk.Call{AccountID: accountID, AccountSlug: slug, Lang: "en"}
}

func wire(c sdk.Call) *pluginv1.Call {
	settings := string(c.Settings)
	if settings == "" {
		settings = "{}"
	}
	return &pluginv1.Call{Token: "sdktest", AccountId: c.AccountID, AccountSlug: c.AccountSlug, SettingsJson: settings, Lang: c.Lang, ViewerId: c.ViewerID}
}

func (h *Harness) ctx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), h.Timeout)
}

// Section renders a section as the host would ask for it (before the host's sanitizing).
func (h *Harness) Section(c sdk.Call, section string) (string, error) {
	ctx, cancel := h.ctx()
	defer cancel()
	res, err := h.Client.RenderSection(ctx, &pluginv1.RenderSectionRequest{Call: wire(c), Section: section})
	if err != nil {
		return "", err
	}
	return res.Html, nil
}

// Event delivers one event.
func (h *Harness) Event(c sdk.Call, ev sdk.Event) error {
	ctx, cancel := h.ctx()
	defer cancel()
	_, err := h.Client.HandleEvent(ctx, &pluginv1.HandleEventRequest{Call: wire(c), EventId: ev.ID, Type: ev.Type, Payload: ev.Payload, CreatedUnix: ev.CreatedAt.Unix()})
	return err
}

// HTTP sends one request to the plugin's endpoint.
func (h *Harness) HTTP(c sdk.Call, req sdk.Request) (sdk.Response, error) {
	ctx, cancel := h.ctx()
	defer cancel()
	res, err := h.Client.ServeHTTP(ctx, &pluginv1.ServeHTTPRequest{Call: wire(c), Method: req.Method, Path: req.Path, Query: req.Query, Headers: req.Header, Body: req.Body})
	if err != nil {
		return sdk.Response{}, err
	}
	return sdk.Response{Status: int(res.Status), Header: res.Headers, Body: res.Body}, nil
}

// Job runs a scheduled job as due at due.
func (h *Harness) Job(c sdk.Call, job string, due time.Time) error {
	ctx, cancel := h.ctx()
	defer cancel()
	_, err := h.Client.RunJob(ctx, &pluginv1.RunJobRequest{Call: wire(c), Job: job, ScheduledUnix: due.Unix()})
	return err
}

// Settings is a JSON encoding of v for Call.Settings (panics on what JSON cannot encode).
func Settings(v any) json.RawMessage {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// FakeHost is the Host API with the data a test gives it. Denied lists capabilities the
// "admin" did not grant: their calls answer PermissionDenied, as the real host does.
type FakeHost struct {
	pluginv1.UnimplementedHostServiceServer

	mu         sync.Mutex
	Projects   []sdk.Project
	Milestones []sdk.Milestone
	Tasks      []sdk.Task
	Denied     map[string]bool
	Calls      int
}

func (f *FakeHost) allow(capability string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.Calls++
	if f.Denied[capability] {
		return status.Errorf(codes.PermissionDenied, "capability %s not granted", capability)
	}
	return nil
}

// ListProjects answers Projects.
func (f *FakeHost) ListProjects(context.Context, *pluginv1.ListProjectsRequest) (*pluginv1.ListProjectsResponse, error) {
	if err := f.allow(sdk.CapProjectsRead); err != nil {
		return nil, err
	}
	out := &pluginv1.ListProjectsResponse{}
	for _, p := range f.Projects {
		out.Projects = append(out.Projects, &pluginv1.Project{Id: p.ID, Name: p.Name, Active: p.Active})
	}
	return out, nil
}

// ListMilestones answers the project's Milestones.
func (f *FakeHost) ListMilestones(_ context.Context, req *pluginv1.ListMilestonesRequest) (*pluginv1.ListMilestonesResponse, error) {
	if err := f.allow(sdk.CapProjectsRead); err != nil {
		return nil, err
	}
	out := &pluginv1.ListMilestonesResponse{}
	for _, m := range f.Milestones {
		if m.ProjectID == req.ProjectId {
			out.Milestones = append(out.Milestones, &pluginv1.Milestone{Id: m.ID, ProjectId: m.ProjectID, Name: m.Name, DueOn: m.DueOn, Completed: m.Completed})
		}
	}
	return out, nil
}

// ListTasks answers the project's Tasks.
func (f *FakeHost) ListTasks(_ context.Context, req *pluginv1.ListTasksRequest) (*pluginv1.ListTasksResponse, error) {
	if err := f.allow(sdk.CapTasksRead); err != nil {
		return nil, err
	}
	out := &pluginv1.ListTasksResponse{}
	for _, t := range f.Tasks {
		if t.ProjectID == req.ProjectId {
			out.Tasks = append(out.Tasks, &pluginv1.Task{Id: t.ID, ProjectId: t.ProjectID, Title: t.Title, Status: t.Status, List: t.List, MilestoneId: t.MilestoneID, DueOn: t.DueOn})
		}
	}
	return out, nil
}
