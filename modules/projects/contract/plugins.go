package contract

import (
	"context"

	"groupcamp/core/actor"
)

// PluginReadsPort is the name of the PluginReads port, which projects provides for the plugin
// host (plugins/host): what a partner's plugin may read of an account's projects through the
// host API, once the host has checked the plugin's grant and the calling account.
const PluginReadsPort = "projects.plugin_reads"

// PluginTask is a task as a plugin reads it.
type PluginTask struct {
	ID          int64
	ProjectID   int64
	Title       string
	Status      string // open, in_progress, done
	List        string // its task list's name
	MilestoneID int64  // its list's milestone (0: none)
	DueOn       string // YYYY-MM-DD or ""
}

// PluginMilestone is a milestone as a plugin reads it.
type PluginMilestone struct {
	ID        int64
	ProjectID int64
	Name      string
	DueOn     string // YYYY-MM-DD or ""
	Completed bool
}

// PluginReads answers the plugin host's reads of an account's projects (in use: no trash, no
// template), each bounded by limit. The host narrows them to what a viewer sees (through
// ProjectsSeen) when a call is for a person; clientCompanyID (0: all lists) then keeps the task lists
// shared with that client company, for a client viewer.
type PluginReads interface {
	Projects(ctx context.Context, accountID int64, limit int) ([]PlanningProject, error)
	Milestones(ctx context.Context, accountID, projectID int64, limit int) ([]PluginMilestone, error)
	Tasks(ctx context.Context, accountID, projectID, clientCompanyID int64, limit int) ([]PluginTask, error)
}

// PluginCommentsPort is the name of the PluginComments port, which projects provides for the
// plugin host.
const PluginCommentsPort = "projects.plugin_comments"

// PluginComments posts a partner plugin's comment on a task on behalf of a person — with that
// person's rights (the task must be theirs to see, its project active), but shown as by the
// plugin named — and answers the comment's id; a refusal is a core/problem error (404, 409,
// 422).
type PluginComments interface {
	Comment(ctx context.Context, person *actor.Actor, plugin string, taskID int64, body string) (int64, error)
}
