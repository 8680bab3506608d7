// Package sdktest runs a plugin in-process against a fake host, over the same gRPC glue the
// real host uses (go-plugin's TestPluginGRPCConn and its broker), so that a partner unit-tests
// a plugin with `go test` and no GroupCamp server:
//
//	h := sdktest.New(t, myPlugin)
//	h.Host.Projects = []sdk.Project{{ID: 1, Name: "Website", Active: true}}
//	html, err := h.Section(sdktest.Call(1, "acme"), "status")
//
// The fake host grants every capability unless Denied names it; its data is what the test
// puts in its fields, and what the plugin writes (comments, notifications) is recorded in
// them for the test to check.
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
	Files      []sdk.File
	// Content is the bytes of the files, by file id.
	Content map[int64][]byte
	People  []sdk.Person
	// Comments and Notices are what the plugin posted and sent, in order.
	Comments []Comment
	Notices  []sdk.Notice
	Denied   map[string]bool
	Calls    int
}

// Comment is a comment the plugin posted through the fake host.
type Comment struct {
	TaskID int64
	Body   string
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

func wireFile(f sdk.File) *pluginv1.File {
	return &pluginv1.File{Id: f.ID, FolderId: f.FolderID, Name: f.Name, Size: f.Size, Mime: f.MIME, Sha256: f.SHA256, Version: int32(f.Version), UpdatedUnix: f.UpdatedAt.Unix()}
}

// ListFiles answers Files: every file of Files (the fake host has no folders per project).
func (f *FakeHost) ListFiles(context.Context, *pluginv1.ListFilesRequest) (*pluginv1.ListFilesResponse, error) {
	if err := f.allow(sdk.CapFilesRead); err != nil {
		return nil, err
	}
	out := &pluginv1.ListFilesResponse{}
	for _, fi := range f.Files {
		out.Files = append(out.Files, wireFile(fi))
	}
	return out, nil
}

// ReadFile answers a file of Files with its Content, refusing past max_bytes as the host does.
func (f *FakeHost) ReadFile(_ context.Context, req *pluginv1.ReadFileRequest) (*pluginv1.ReadFileResponse, error) {
	if err := f.allow(sdk.CapFilesRead); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, fi := range f.Files {
		if fi.ID != req.FileId {
			continue
		}
		b := f.Content[fi.ID]
		if req.MaxBytes > 0 && int64(len(b)) > req.MaxBytes {
			return nil, status.Errorf(codes.FailedPrecondition, "the file is larger than %d bytes", req.MaxBytes)
		}
		return &pluginv1.ReadFileResponse{File: wireFile(fi), Content: b}, nil
	}
	return nil, status.Error(codes.NotFound, "no such file")
}

// ListPeople answers People.
func (f *FakeHost) ListPeople(context.Context, *pluginv1.ListPeopleRequest) (*pluginv1.ListPeopleResponse, error) {
	if err := f.allow(sdk.CapPeopleRead); err != nil {
		return nil, err
	}
	out := &pluginv1.ListPeopleResponse{}
	for _, p := range f.People {
		out.People = append(out.People, &pluginv1.Person{Id: p.ID, Name: p.Name, Role: p.Role, CompanyId: p.CompanyID, Active: p.Active})
	}
	return out, nil
}

// PostComment records the comment on a task of Tasks (NotFound for another) and answers its
// rank as its id.
func (f *FakeHost) PostComment(_ context.Context, req *pluginv1.PostCommentRequest) (*pluginv1.PostCommentResponse, error) {
	if err := f.allow(sdk.CapCommentsWrite); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if req.Body == "" {
		return nil, status.Error(codes.InvalidArgument, "body: required")
	}
	for _, t := range f.Tasks {
		if t.ID == req.TaskId {
			f.Comments = append(f.Comments, Comment{TaskID: req.TaskId, Body: req.Body})
			return &pluginv1.PostCommentResponse{CommentId: int64(len(f.Comments))}, nil
		}
	}
	return nil, status.Error(codes.NotFound, "no such task")
}

// Notify records the notice to a person of People (NotFound for another).
func (f *FakeHost) Notify(_ context.Context, req *pluginv1.NotifyRequest) (*pluginv1.NotifyResponse, error) {
	if err := f.allow(sdk.CapNotificationsWrite); err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, p := range f.People {
		if p.ID == req.PersonId && p.Active {
			f.Notices = append(f.Notices, sdk.Notice{PersonID: req.PersonId, Text: req.Text, Path: req.Path})
			return &pluginv1.NotifyResponse{}, nil
		}
	}
	return nil, status.Error(codes.NotFound, "no active person of the account has this id")
}
