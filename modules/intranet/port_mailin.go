package intranet

import (
	"context"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
)

// Email in (core/mailin, wired by core/app): the email of a notice about a discussion — a new
// reply to a topic the person follows, a mention in it — carries the person's signed Reply-To
// (core/notify finds the topic in the notice's path), and what they write above the quote
// becomes their reply on the topic, as if they had posted it: the same capability
// (intranet.write), the same scope (the topic must be in a space they are still in — someone
// who left the team gets a refusal, not a reply in a space they no longer see), the same
// mentions, subscriptions and notices to the other followers. Likewise the email of a notice
// about a news post's comment (a mention in it) carries a Reply-To for the post, and the
// answer becomes the person's comment on it (newsComments).

// Kinds of thing email in reaches in this module: a discussion, a news post.
const (
	MailTopic = "topic"
	MailNews  = "news"
)

// topicReplies takes the replies to discussion notices.
type topicReplies struct{ svc *Service }

var _ hooks.MailTarget = topicReplies{}

// Reply posts text as the person's reply on the topic.
func (p topicReplies) Reply(ctx context.Context, person *actor.Actor, topicID int64, text string) error {
	if !person.May("intranet", "write") {
		return problem.Forbidden("your role may not write in the intranet")
	}
	_, err := p.svc.AddReply(ctx, person, topicID, BodyInput{Body: text})
	return err
}

// Drop: a discussion has no address of its own (new topics are written in the app).
func (topicReplies) Drop(context.Context, *actor.Actor, int64, hooks.MailDrop) error {
	return problem.NotFound()
}

// newsComments takes the replies to notices about news comments.
type newsComments struct{ svc *Service }

var _ hooks.MailTarget = newsComments{}

// Reply posts text as the person's comment on the post, with the checks of the API's: the
// capability, then a published post of a space the person is in (else a 404).
func (p newsComments) Reply(ctx context.Context, person *actor.Actor, newsID int64, text string) error {
	if !person.May("intranet", "write") {
		return problem.Forbidden("your role may not write in the intranet")
	}
	_, err := p.svc.AddComment(ctx, person, newsID, BodyInput{Body: text})
	return err
}

// Drop: a post has no address of its own.
func (newsComments) Drop(context.Context, *actor.Actor, int64, hooks.MailDrop) error {
	return problem.NotFound()
}
