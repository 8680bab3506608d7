package host

import (
	"context"
	"errors"
	"strings"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/automation"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
	filesc "groupcamp/modules/files/contract"
	"groupcamp/plugins/sdk"
	"groupcamp/plugins/sdk/pluginv1"
)

// The Host API's files, people, comments and notifications: each call is checked like the
// project reads (hostapi.go), answers for the call's account only, and, in a call for a
// person, within that person's reach.

// MaxFileRead caps the bytes of one ReadFile (a plugin asks for less with max_bytes): a file
// crosses the broker in one message, held in memory on both sides.
const MaxFileRead = 4 << 20

// maxNotice bounds a notification's text.
const maxNotice = 500

// fileOf is a file on the wire.
func fileOf(f filesc.PluginFile) *pluginv1.File {
	return &pluginv1.File{Id: f.ID, FolderId: f.FolderID, Name: f.Name, Size: f.Size, Mime: f.MIME, Sha256: f.SHA256, Version: int32(f.Version), UpdatedUnix: f.UpdatedAt}
}

// filesPorts answers the files ports, or Unavailable when files is not in the App.
func (h *hostAPI) filesPorts(sc scopeEntry) (filesc.PluginFiles, error) {
	fp := h.ports.files()
	if fp == nil || (sc.Viewer != nil && h.ports.filesSeen() == nil) {
		return nil, status.Error(codes.Unavailable, "files are not served here")
	}
	return fp, nil
}

// seenFiles keeps, of ids, the files the call's viewer sees (FilesSeen answers 100 at a time).
func (h *hostAPI) seenFiles(ctx context.Context, sc scopeEntry, ids []int64) (map[int64]bool, error) {
	out := make(map[int64]bool, len(ids))
	for len(ids) > 0 {
		n := min(len(ids), 100)
		seen, err := h.ports.filesSeen().Seen(ctx, sc.Viewer, 0, ids[:n])
		if err != nil {
			return nil, err
		}
		for id := range seen {
			out[id] = true
		}
		ids = ids[n:]
	}
	return out, nil
}

func (h *hostAPI) ListFiles(ctx context.Context, req *pluginv1.ListFilesRequest) (*pluginv1.ListFilesResponse, error) {
	sc, err := h.allowed(req.Token, sdk.CapFilesRead)
	if err != nil {
		return nil, err
	}
	fp, err := h.filesPorts(sc)
	if err != nil {
		return nil, err
	}
	if sc.Viewer != nil && h.ports.seen() != nil {
		if err := h.sees(ctx, sc, req.ProjectId); err != nil {
			return nil, err
		}
	}
	fs, err := fp.ProjectFiles(ctx, sc.AccountID, req.ProjectId, maxRead)
	if err != nil {
		return nil, status.Error(codes.Internal, "files could not be read")
	}
	var seen map[int64]bool
	if sc.Viewer != nil {
		ids := make([]int64, len(fs))
		for i, f := range fs {
			ids[i] = f.ID
		}
		if seen, err = h.seenFiles(ctx, sc, ids); err != nil {
			return nil, status.Error(codes.Internal, "files could not be read")
		}
	}
	out := &pluginv1.ListFilesResponse{}
	for _, f := range fs {
		if sc.Viewer == nil || seen[f.ID] {
			out.Files = append(out.Files, fileOf(f))
		}
	}
	return out, nil
}

func (h *hostAPI) ReadFile(ctx context.Context, req *pluginv1.ReadFileRequest) (*pluginv1.ReadFileResponse, error) {
	sc, err := h.allowed(req.Token, sdk.CapFilesRead)
	if err != nil {
		return nil, err
	}
	fp, err := h.filesPorts(sc)
	if err != nil {
		return nil, err
	}
	limit := int64(MaxFileRead)
	if req.MaxBytes > 0 && req.MaxBytes < limit {
		limit = req.MaxBytes
	}
	if sc.Viewer != nil {
		seen, err := h.seenFiles(ctx, sc, []int64{req.FileId})
		if err != nil {
			return nil, status.Error(codes.Internal, "the file could not be read")
		}
		if !seen[req.FileId] {
			return nil, status.Error(codes.NotFound, "no such file")
		}
	}
	meta, b, err := fp.Read(ctx, sc.AccountID, req.FileId, limit)
	switch {
	case errors.Is(err, filesc.ErrFileTooLarge):
		return nil, status.Errorf(codes.FailedPrecondition, "the file is larger than %d bytes", limit)
	case err != nil:
		return nil, status.Error(codes.Internal, "the file could not be read")
	case meta == nil:
		return nil, status.Error(codes.NotFound, "no such file")
	}
	return &pluginv1.ReadFileResponse{File: fileOf(*meta), Content: b}, nil
}

// actorOf is who the Host API acts as in the account: the call's person, or, in a call for
// no person, the account itself (core services scope their queries by the actor's account).
func actorOf(sc scopeEntry) *actor.Actor {
	if sc.Viewer != nil {
		return sc.Viewer
	}
	return &actor.Actor{Account: &actor.Account{ID: sc.AccountID, Slug: sc.Slug}}
}

func (h *hostAPI) ListPeople(ctx context.Context, req *pluginv1.ListPeopleRequest) (*pluginv1.ListPeopleResponse, error) {
	sc, err := h.allowed(req.Token, sdk.CapPeopleRead)
	if err != nil {
		return nil, err
	}
	if h.ports.people == nil {
		return nil, status.Error(codes.Unavailable, "people are not served here")
	}
	var f identity.MemberFilter
	if sc.Viewer != nil && sc.Viewer.Role == actor.RoleClient {
		// A client's directory is their own company's people, as on their pages.
		if f.CompanyID = sc.Viewer.CompanyID; f.CompanyID == 0 {
			return &pluginv1.ListPeopleResponse{}, nil
		}
	}
	list, err := h.ports.people.ListMembers(ctx, actorOf(sc), api.Page{Limit: maxRead}, f)
	if err != nil {
		return nil, status.Error(codes.Internal, "people could not be read")
	}
	out := &pluginv1.ListPeopleResponse{}
	for _, m := range list.Items {
		if m.Status == identity.StatusInvited {
			continue // not a person of the account yet
		}
		out.People = append(out.People, &pluginv1.Person{Id: m.ID, Name: m.Name, Role: m.Role, CompanyId: m.CompanyID, Active: m.Active})
	}
	return out, nil
}

// grpcOf turns a core/problem refusal of a module into the matching gRPC status.
func grpcOf(err error, what string) error {
	p, ok := problem.As(err)
	if !ok {
		return status.Errorf(codes.Internal, "%s failed", what)
	}
	msg := p.Title
	if p.Detail != "" {
		msg = p.Detail
	}
	for _, f := range p.Errors {
		msg += "; " + f.Field + ": " + f.Message
	}
	switch p.Status {
	case 404:
		return status.Error(codes.NotFound, msg)
	case 403:
		return status.Error(codes.PermissionDenied, msg)
	case 409:
		return status.Error(codes.FailedPrecondition, msg)
	case 422, 400:
		return status.Error(codes.InvalidArgument, msg)
	}
	return status.Errorf(codes.Internal, "%s failed", what)
}

func (h *hostAPI) PostComment(ctx context.Context, req *pluginv1.PostCommentRequest) (*pluginv1.PostCommentResponse, error) {
	sc, err := h.allowed(req.Token, sdk.CapCommentsWrite)
	if err != nil {
		return nil, err
	}
	if sc.Viewer == nil {
		return nil, status.Error(codes.FailedPrecondition, "a comment is written on behalf of a person: this call is for none")
	}
	cp := h.ports.comments()
	if cp == nil {
		return nil, status.Error(codes.Unavailable, "tasks are not served here")
	}
	id, err := cp.Comment(ctx, sc.Viewer, h.plugin, req.TaskId, req.Body)
	if err != nil {
		return nil, grpcOf(err, "the comment")
	}
	return &pluginv1.PostCommentResponse{CommentId: id}, nil
}

func (h *hostAPI) Notify(ctx context.Context, req *pluginv1.NotifyRequest) (*pluginv1.NotifyResponse, error) {
	sc, err := h.allowed(req.Token, sdk.CapNotificationsWrite)
	if err != nil {
		return nil, err
	}
	if h.ports.notifier == nil || h.ports.people == nil {
		return nil, status.Error(codes.Unavailable, "notifications are not served here")
	}
	if msg := validate.Text(req.Text, maxNotice, true); msg != "" || validate.Control(req.Text, false) {
		if msg == "" {
			msg = "must not contain control characters"
		}
		return nil, status.Error(codes.InvalidArgument, "text: "+msg)
	}
	if req.Path != "" && (!strings.HasPrefix(req.Path, "/") || strings.HasPrefix(req.Path, "//") || len(req.Path) > 500 || validate.Control(req.Path, false)) {
		return nil, status.Error(codes.InvalidArgument, `path: want a path inside the account, starting with one "/"`)
	}
	people, err := h.ports.people.MembersByID(ctx, actorOf(sc), []int64{req.PersonId})
	if err != nil {
		return nil, status.Error(codes.Internal, "the person could not be read")
	}
	if p, ok := people[req.PersonId]; !ok || !p.Active {
		return nil, status.Error(codes.NotFound, "no active person of the account has this id")
	}
	// The notice says which plugin sent it: a plugin speaks for itself, not for the account.
	n := automation.Notice{AccountID: sc.AccountID, UserIDs: []int64{req.PersonId}, EventType: "plugin." + h.plugin,
		Text: h.plugin + ": " + req.Text, Path: req.Path}
	if err := h.ports.notifier.Notify(ctx, h.ports.db, n); err != nil {
		return nil, status.Error(codes.Internal, "the notification could not be sent")
	}
	return &pluginv1.NotifyResponse{}, nil
}
