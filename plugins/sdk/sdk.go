// Package sdk is what a partner imports to write a GroupCamp plugin: a plain Go API (Plugin,
// Host, Call, Event, Request, Response), the handshake and plugin set both sides agree on,
// and the gRPC glue over hashicorp/go-plugin. The wire contract is the protobuf package
// groupcamp.plugin.v1 (proto/, generated into pluginv1/). It imports nothing of GroupCamp's
// server, so a plugin's module depends on this package alone.
//
// A plugin is a main package that calls Serve:
//
//	func main() {
//		sdk.Serve(&sdk.Plugin{
//			Name: "hello", Version: "1.0.0",
//			Section: func(ctx context.Context, call sdk.Call, section string, host sdk.Host) (string, error) {
//				return "<p>Hello</p>", nil
//			},
//		})
//	}
//
// The host starts the binary itself (never run it by hand: it refuses to start without the
// handshake cookie), talks to it over gRPC with mutual TLS, and calls it under a deadline.
// Package sdktest runs a plugin in-process, over the same gRPC glue, against a fake host, so
// that a plugin is unit-tested without a server.
package sdk

import (
	"context"
	"encoding/json"
	"time"

	"github.com/hashicorp/go-plugin"
)

// ProtocolVersion is the version of the plugin set this SDK serves (groupcamp.plugin.v1).
const ProtocolVersion = 1

// PluginKey is the name of the one plugin in the set.
const PluginKey = "groupcamp"

// Handshake is what host and plugin check before talking. The cookie only keeps the binary
// from being run by hand by mistake; it is no security.
var Handshake = plugin.HandshakeConfig{
	ProtocolVersion:  ProtocolVersion,
	MagicCookieKey:   "GROUPCAMP_PLUGIN",
	MagicCookieValue: "b8f1c0a4-groupcamp-plugin-v1",
}

// Capabilities a manifest may ask for; the account's admin grants some or all of them.
const (
	CapProjectsRead = "projects.read" // Host.Projects and Host.Milestones
	CapTasksRead    = "tasks.read"    // Host.Tasks
	CapFilesRead    = "files.read"    // Host.Files and Host.ReadFile
	CapPeopleRead   = "people.read"   // Host.People
	// CapCommentsWrite lets the plugin comment on a task on behalf of the person its call is
	// for (a page or a request), with that person's rights.
	CapCommentsWrite = "comments.write" // Host.PostComment
	// CapNotificationsWrite lets the plugin notify a person of the account.
	CapNotificationsWrite = "notifications.write" // Host.Notify
)

// Capabilities lists every capability a manifest may ask for.
var Capabilities = []string{CapProjectsRead, CapTasksRead, CapFilesRead, CapPeopleRead, CapCommentsWrite, CapNotificationsWrite}

// Call is the context of one call from the host: the account it is for and the person it is
// for (ViewerID, 0 for an event). Settings are the account's settings of the plugin.
type Call struct {
	AccountID   int64
	AccountSlug string
	Settings    json.RawMessage
	Lang        string
	ViewerID    int64
}

// Event is one domain event of an account that enabled the plugin. Delivery is at least
// once: a plugin that must not act twice remembers the IDs it has handled.
type Event struct {
	ID        int64
	Type      string
	Payload   json.RawMessage
	CreatedAt time.Time
}

// Request is an HTTP request to /{slug}/x/{plugin}{Path}.
type Request struct {
	Method string
	Path   string // starts with "/"
	Query  string // the raw query, without "?"
	Header map[string]string
	Body   []byte
}

// Response is the plugin's answer to a Request. The host passes the body as is, with the
// content type the plugin set (text/plain when none), under its own security headers.
type Response struct {
	Status int
	Header map[string]string
	Body   []byte
}

// Project, Milestone and Task are what the Host API answers.
type Project struct {
	ID     int64
	Name   string
	Active bool
}

// Milestone is a dated goal of a project.
type Milestone struct {
	ID        int64
	ProjectID int64
	Name      string
	DueOn     string // YYYY-MM-DD, or ""
	Completed bool
}

// Task is a task of a project; MilestoneID is its list's milestone (0 for none).
type Task struct {
	ID          int64
	ProjectID   int64
	Title       string
	Status      string // open, in_progress, done
	List        string
	MilestoneID int64
	DueOn       string
}

// File is a file's metadata (its current version).
type File struct {
	ID        int64
	FolderID  int64
	Name      string
	Size      int64
	MIME      string
	SHA256    string
	Version   int
	UpdatedAt time.Time
}

// Person is an entry of the account's directory.
type Person struct {
	ID        int64
	Name      string
	Role      string // owner, admin, manager, member, client
	CompanyID int64  // the client company of a client (0 for none)
	Active    bool
}

// Notice is a notification the plugin sends to a person of the account.
type Notice struct {
	PersonID int64
	Text     string
	// Path is where it leads inside the account ("/tasks/42"); "" for the notifications list.
	Path string
}

// Host is GroupCamp's API given back to the plugin for the account of the current call.
// Every method fails with gRPC code PermissionDenied when the account's admin did not grant
// the capability it needs, and Unauthenticated once the call it belongs to is over.
type Host interface {
	Projects(ctx context.Context) ([]Project, error)
	Milestones(ctx context.Context, projectID int64) ([]Milestone, error)
	Tasks(ctx context.Context, projectID int64) ([]Task, error)
	// Files lists the metadata of a project's files.
	Files(ctx context.Context, projectID int64) ([]File, error)
	// ReadFile answers a file's current bytes; a file larger than maxBytes (0: the host's cap
	// of 4 MiB) fails with FailedPrecondition.
	ReadFile(ctx context.Context, fileID, maxBytes int64) (File, []byte, error)
	// People lists the account's directory (the people the call's person sees).
	People(ctx context.Context) ([]Person, error)
	// PostComment comments on a task as the person the call is for (FailedPrecondition in a
	// call for no person: an event, a job) and returns the comment's id.
	PostComment(ctx context.Context, taskID int64, body string) (int64, error)
	// Notify sends a notification to a person of the account.
	Notify(ctx context.Context, n Notice) error
}

// Plugin is a plugin's implementation: set the handlers of the extension points its
// manifest declares; the others answer Unimplemented.
type Plugin struct {
	Name    string
	Version string
	// Section renders the HTML fragment of a page section (the manifest's "sections").
	// The host sanitizes it: scripts, styles and event attributes are dropped.
	Section func(ctx context.Context, call Call, section string, host Host) (string, error)
	// Event handles a domain event (the manifest's "events"). An error makes the host try
	// again later, with back-off.
	Event func(ctx context.Context, call Call, ev Event, host Host) error
	// HTTP answers requests under /{slug}/x/{plugin}/ (the manifest's "http": true).
	HTTP func(ctx context.Context, call Call, req Request, host Host) (Response, error)
	// Job runs a scheduled job (the manifest's "jobs", by key) for one account, at the minute
	// it was due. An error is logged by the host; the next run is at the next due time.
	Job func(ctx context.Context, call Call, job string, due time.Time, host Host) error
}

// Serve runs the plugin: called from the plugin's main, it returns when the host stops it.
func Serve(p *Plugin) {
	plugin.Serve(&plugin.ServeConfig{
		HandshakeConfig:  Handshake,
		VersionedPlugins: PluginSets(p),
		GRPCServer:       plugin.DefaultGRPCServer,
	})
}

// PluginSets is the versioned plugin set: the host passes PluginSets(nil).
func PluginSets(p *Plugin) map[int]plugin.PluginSet {
	return map[int]plugin.PluginSet{ProtocolVersion: {PluginKey: &GRPCPlugin{Impl: p}}}
}
