package sdk

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"groupcamp/plugins/sdk/pluginv1"
)

// GRPCPlugin is the go-plugin glue: the plugin side serves Impl, the host side gets a
// *Client. It is gRPC only (no net/rpc).
type GRPCPlugin struct {
	plugin.NetRPCUnsupportedPlugin
	Impl *Plugin
}

// GRPCServer registers the plugin's service (plugin side).
func (g *GRPCPlugin) GRPCServer(broker *plugin.GRPCBroker, s *grpc.Server) error {
	pluginv1.RegisterPluginServiceServer(s, &server{impl: g.Impl, broker: broker})
	return nil
}

// GRPCClient is the host's handle on the plugin.
func (g *GRPCPlugin) GRPCClient(_ context.Context, broker *plugin.GRPCBroker, c *grpc.ClientConn) (any, error) {
	return &Client{PluginServiceClient: pluginv1.NewPluginServiceClient(c), broker: broker}, nil
}

// Client is the host side of a plugin: its gRPC client, and ServeHost to give it the Host API.
type Client struct {
	pluginv1.PluginServiceClient
	broker *plugin.GRPCBroker
}

// ServeHost serves srv to the plugin over the go-plugin broker and returns the broker id to
// pass in InitRequest.
func (c *Client) ServeHost(srv pluginv1.HostServiceServer) uint32 {
	id := c.broker.NextId()
	go c.broker.AcceptAndServe(id, func(opts []grpc.ServerOption) *grpc.Server {
		s := grpc.NewServer(opts...)
		pluginv1.RegisterHostServiceServer(s, srv)
		return s
	})
	return id
}

// server is the plugin side: it turns the wire calls into the Plugin's handlers.
type server struct {
	pluginv1.UnimplementedPluginServiceServer
	impl   *Plugin
	broker *plugin.GRPCBroker

	mu   sync.Mutex
	host pluginv1.HostServiceClient
}

func (s *server) Init(_ context.Context, req *pluginv1.InitRequest) (*pluginv1.InitResponse, error) {
	if req.HostBrokerId == 0 { // a host that serves no Host API
		return &pluginv1.InitResponse{Name: s.impl.Name, Version: s.impl.Version}, nil
	}
	conn, err := s.broker.Dial(req.HostBrokerId)
	if err != nil {
		return nil, status.Errorf(codes.Unavailable, "dial the host API: %v", err)
	}
	s.mu.Lock()
	s.host = pluginv1.NewHostServiceClient(conn)
	s.mu.Unlock()
	return &pluginv1.InitResponse{Name: s.impl.Name, Version: s.impl.Version}, nil
}

func (s *server) Ping(context.Context, *pluginv1.PingRequest) (*pluginv1.PingResponse, error) {
	return &pluginv1.PingResponse{}, nil
}

// hostFor is the Host API bound to the token of one call.
func (s *server) hostFor(token string) Host {
	s.mu.Lock()
	defer s.mu.Unlock()
	return &hostClient{c: s.host, token: token}
}

func callOf(c *pluginv1.Call) Call {
	if c == nil {
		return Call{}
	}
	return Call{AccountID: c.AccountId, AccountSlug: c.AccountSlug, Settings: json.RawMessage(c.SettingsJson), Lang: c.Lang, ViewerID: c.ViewerId}
}

func (s *server) RenderSection(ctx context.Context, req *pluginv1.RenderSectionRequest) (*pluginv1.RenderSectionResponse, error) {
	if s.impl.Section == nil {
		return nil, status.Error(codes.Unimplemented, "no sections")
	}
	html, err := s.impl.Section(ctx, callOf(req.Call), req.Section, s.hostFor(req.Call.GetToken()))
	if err != nil {
		return nil, toStatus(err)
	}
	return &pluginv1.RenderSectionResponse{Html: html}, nil
}

func (s *server) HandleEvent(ctx context.Context, req *pluginv1.HandleEventRequest) (*pluginv1.HandleEventResponse, error) {
	if s.impl.Event == nil {
		return nil, status.Error(codes.Unimplemented, "no event listener")
	}
	ev := Event{ID: req.EventId, Type: req.Type, Payload: json.RawMessage(req.Payload), CreatedAt: time.Unix(req.CreatedUnix, 0).UTC()}
	if err := s.impl.Event(ctx, callOf(req.Call), ev, s.hostFor(req.Call.GetToken())); err != nil {
		return nil, toStatus(err)
	}
	return &pluginv1.HandleEventResponse{}, nil
}

func (s *server) ServeHTTP(ctx context.Context, req *pluginv1.ServeHTTPRequest) (*pluginv1.ServeHTTPResponse, error) {
	if s.impl.HTTP == nil {
		return nil, status.Error(codes.Unimplemented, "no HTTP endpoint")
	}
	res, err := s.impl.HTTP(ctx, callOf(req.Call), Request{Method: req.Method, Path: req.Path, Query: req.Query, Header: req.Headers, Body: req.Body}, s.hostFor(req.Call.GetToken()))
	if err != nil {
		return nil, toStatus(err)
	}
	if res.Status == 0 {
		res.Status = 200
	}
	return &pluginv1.ServeHTTPResponse{Status: int32(res.Status), Headers: res.Header, Body: res.Body}, nil
}

func (s *server) RunJob(ctx context.Context, req *pluginv1.RunJobRequest) (*pluginv1.RunJobResponse, error) {
	if s.impl.Job == nil {
		return nil, status.Error(codes.Unimplemented, "no jobs")
	}
	if err := s.impl.Job(ctx, callOf(req.Call), req.Job, time.Unix(req.ScheduledUnix, 0).UTC(), s.hostFor(req.Call.GetToken())); err != nil {
		return nil, toStatus(err)
	}
	return &pluginv1.RunJobResponse{}, nil
}

// toStatus keeps a gRPC status (a Host API refusal passed on) and makes others Unknown.
func toStatus(err error) error {
	if _, ok := status.FromError(err); ok {
		return err
	}
	return status.Error(codes.Unknown, err.Error())
}

// hostClient is the plugin's Host, bound to one call's token.
type hostClient struct {
	c     pluginv1.HostServiceClient
	token string
}

func (h *hostClient) Projects(ctx context.Context) ([]Project, error) {
	if h.c == nil {
		return nil, status.Error(codes.FailedPrecondition, "the host API is not connected (Init was not called)")
	}
	res, err := h.c.ListProjects(ctx, &pluginv1.ListProjectsRequest{Token: h.token})
	if err != nil {
		return nil, err
	}
	out := make([]Project, 0, len(res.Projects))
	for _, p := range res.Projects {
		out = append(out, Project{ID: p.Id, Name: p.Name, Active: p.Active})
	}
	return out, nil
}

func (h *hostClient) Milestones(ctx context.Context, projectID int64) ([]Milestone, error) {
	if h.c == nil {
		return nil, status.Error(codes.FailedPrecondition, "the host API is not connected (Init was not called)")
	}
	res, err := h.c.ListMilestones(ctx, &pluginv1.ListMilestonesRequest{Token: h.token, ProjectId: projectID})
	if err != nil {
		return nil, err
	}
	out := make([]Milestone, 0, len(res.Milestones))
	for _, m := range res.Milestones {
		out = append(out, Milestone{ID: m.Id, ProjectID: m.ProjectId, Name: m.Name, DueOn: m.DueOn, Completed: m.Completed})
	}
	return out, nil
}

func (h *hostClient) Tasks(ctx context.Context, projectID int64) ([]Task, error) {
	if h.c == nil {
		return nil, status.Error(codes.FailedPrecondition, "the host API is not connected (Init was not called)")
	}
	res, err := h.c.ListTasks(ctx, &pluginv1.ListTasksRequest{Token: h.token, ProjectId: projectID})
	if err != nil {
		return nil, err
	}
	out := make([]Task, 0, len(res.Tasks))
	for _, t := range res.Tasks {
		out = append(out, Task{ID: t.Id, ProjectID: t.ProjectId, Title: t.Title, Status: t.Status, List: t.List, MilestoneID: t.MilestoneId, DueOn: t.DueOn})
	}
	return out, nil
}

// connected fails a call made before the host connected its API.
func (h *hostClient) connected() error {
	if h.c == nil {
		return status.Error(codes.FailedPrecondition, "the host API is not connected (Init was not called)")
	}
	return nil
}

func fileOf(f *pluginv1.File) File {
	if f == nil {
		return File{}
	}
	return File{ID: f.Id, FolderID: f.FolderId, Name: f.Name, Size: f.Size, MIME: f.Mime, SHA256: f.Sha256, Version: int(f.Version), UpdatedAt: time.Unix(f.UpdatedUnix, 0).UTC()}
}

func (h *hostClient) Files(ctx context.Context, projectID int64) ([]File, error) {
	if err := h.connected(); err != nil {
		return nil, err
	}
	res, err := h.c.ListFiles(ctx, &pluginv1.ListFilesRequest{Token: h.token, ProjectId: projectID})
	if err != nil {
		return nil, err
	}
	out := make([]File, 0, len(res.Files))
	for _, f := range res.Files {
		out = append(out, fileOf(f))
	}
	return out, nil
}

func (h *hostClient) ReadFile(ctx context.Context, fileID, maxBytes int64) (File, []byte, error) {
	if err := h.connected(); err != nil {
		return File{}, nil, err
	}
	res, err := h.c.ReadFile(ctx, &pluginv1.ReadFileRequest{Token: h.token, FileId: fileID, MaxBytes: maxBytes})
	if err != nil {
		return File{}, nil, err
	}
	return fileOf(res.File), res.Content, nil
}

func (h *hostClient) People(ctx context.Context) ([]Person, error) {
	if err := h.connected(); err != nil {
		return nil, err
	}
	res, err := h.c.ListPeople(ctx, &pluginv1.ListPeopleRequest{Token: h.token})
	if err != nil {
		return nil, err
	}
	out := make([]Person, 0, len(res.People))
	for _, p := range res.People {
		out = append(out, Person{ID: p.Id, Name: p.Name, Role: p.Role, CompanyID: p.CompanyId, Active: p.Active})
	}
	return out, nil
}

func (h *hostClient) PostComment(ctx context.Context, taskID int64, body string) (int64, error) {
	if err := h.connected(); err != nil {
		return 0, err
	}
	res, err := h.c.PostComment(ctx, &pluginv1.PostCommentRequest{Token: h.token, TaskId: taskID, Body: body})
	if err != nil {
		return 0, err
	}
	return res.CommentId, nil
}

func (h *hostClient) Notify(ctx context.Context, n Notice) error {
	if err := h.connected(); err != nil {
		return err
	}
	_, err := h.c.Notify(ctx, &pluginv1.NotifyRequest{Token: h.token, PersonId: n.PersonID, Text: n.Text, Path: n.Path})
	return err
}
