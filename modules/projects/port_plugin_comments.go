package projects

import (
	"context"

	"groupcamp/core/actor"
	"groupcamp/modules/projects/contract"
)

// pluginComments is the projects side of contract.PluginComments: a plugin's comment is the
// person's own AddComment (the same checks, mentions, event and feed line), so a plugin can
// never write where the person could not.
type pluginComments struct{ svc *Service }

var _ contract.PluginComments = pluginComments{}

func (p pluginComments) Comment(ctx context.Context, person *actor.Actor, taskID int64, body string) (int64, error) {
	c, err := p.svc.AddComment(ctx, person, taskID, CommentInput{Body: body})
	if err != nil {
		return 0, err
	}
	return c.ID, nil
}
