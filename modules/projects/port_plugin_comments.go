package projects

import (
	"context"

	"groupcamp/core/actor"
	"groupcamp/core/problem"
	"groupcamp/modules/projects/contract"
)

// pluginComments is the projects side of contract.PluginComments: a plugin's comment goes
// through the person's own AddComment (the same checks, mentions, event and feed line), so a
// plugin can never write where the person could not — but its author is the plugin.
type pluginComments struct{ svc *Service }

var _ contract.PluginComments = pluginComments{}

func (p pluginComments) Comment(ctx context.Context, person *actor.Actor, plugin string, taskID int64, body string) (int64, error) {
	if plugin == "" {
		return 0, problem.Invalid(problem.FieldError{Field: "plugin", Message: "is required"})
	}
	c, err := p.svc.addComment(ctx, person, taskID, CommentInput{Body: body}, plugin)
	if err != nil {
		return 0, err
	}
	return c.ID, nil
}
