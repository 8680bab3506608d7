package intranet

import (
	"context"
	"slices"
	"strings"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// Reactions: a person puts one of a small fixed set of emoji on a post, a comment, a topic or
// a reply, and takes it off by choosing it again (a toggle). Each shows how many chose it and,
// on hover, who. A fixed set keeps the rows small and the counts meaningful, and needs no
// emoji picker.

// Emojis are the reactions offered, in the order shown.
var Emojis = []string{"👍", "❤️", "🎉", "😄", "🤔", "👀"}

// The kinds of things reacted to (intranet_reactions.target_kind).
const (
	reactNews    = KindNews
	reactTopic   = KindTopic
	reactComment = "comment"
	reactReply   = "reply"
)

// maxReactionNames is how many names a reaction lists (its count is exact).
const maxReactionNames = 30

// ReactionInput toggles a reaction.
type ReactionInput struct {
	Emoji string `json:"emoji" openapi:"required" enum:"👍,❤️,🎉,😄,🤔,👀" example:"👍"`
}

// ReactionList is the reactions of one thing, after a toggle.
type ReactionList struct {
	Items []Reaction `json:"items"`
}

// reactable checks that the actor sees the thing (404 otherwise); parent is a comment's post
// or a reply's topic (the thing itself for a post or topic).
func (s *Service) reactable(ctx context.Context, tn db.Tenant, a *actor.Actor, kind string, parent, id int64) error {
	var err error
	switch kind {
	case reactNews:
		_, err = s.oneNews(ctx, tn, a, id)
	case reactTopic:
		_, err = s.topic(ctx, tn, a, id)
	case reactComment:
		_, _, err = visibleMessage[Comment](ctx, s, tn, a, comments, parent, id)
	case reactReply:
		_, _, err = visibleMessage[Reply](ctx, s, tn, a, replies, parent, id)
	default:
		err = problem.NotFound()
	}
	if err != nil {
		return err
	}
	// A reaction is a write of the space (read-only when its project is archived).
	table, alias, of := "intranet_topics", "t", parent
	switch kind {
	case reactNews:
		table, alias, of = "intranet_news", "n", id
	case reactComment:
		table, alias = "intranet_news", "n"
	case reactTopic:
		of = id
	}
	var sp int64
	if err := tn.SelectFrom(table, alias).Column(alias+".space_id").Where(alias+".id = ?", of).Scan(ctx, &sp); err != nil {
		return err
	}
	return s.writable(ctx, tn, a, sp)
}

// React puts the actor's emoji on the thing, or takes it off if it was there, and answers the
// thing's reactions.
func (s *Service) React(ctx context.Context, a *actor.Actor, kind string, parent, id int64, in ReactionInput) (ReactionList, error) {
	tn := s.tenant(a.AccountID())
	if err := s.reactable(ctx, tn, a, kind, parent, id); err != nil {
		return ReactionList{}, err
	}
	emoji := strings.TrimSpace(in.Emoji)
	if !slices.Contains(Emojis, emoji) {
		return ReactionList{}, problem.Invalid(problem.FieldError{Field: "emoji", Message: "must be one of " + strings.Join(Emojis, " ")})
	}
	err := tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		res, err := tn.Exec(ctx, "DELETE FROM intranet_reactions WHERE account_id = ? AND target_kind = ? AND target_id = ? AND emoji = ? AND user_id = ?", kind, id, emoji, a.UserID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		_, err = tn.Exec(ctx, "INSERT INTO intranet_reactions (account_id, target_kind, target_id, user_id, emoji, created_at) VALUES (?, ?, ?, ?, ?, ?)", kind, id, a.UserID, emoji, s.now())
		return err
	})
	if err != nil {
		return ReactionList{}, err
	}
	out := ReactionList{}
	err = s.fillReactions(ctx, tn, a, kind, 1, func(int) (int64, *[]Reaction) { return id, &out.Items })
	return out, err
}

// ReactNews, ReactComment, ReactTopic and ReactReply toggle a reaction on one kind of thing.
func (s *Service) ReactNews(ctx context.Context, a *actor.Actor, id int64, in ReactionInput) (ReactionList, error) {
	return s.React(ctx, a, reactNews, id, id, in)
}

// ReactComment toggles a reaction on a comment.
func (s *Service) ReactComment(ctx context.Context, a *actor.Actor, newsID, id int64, in ReactionInput) (ReactionList, error) {
	return s.React(ctx, a, reactComment, newsID, id, in)
}

// ReactTopic toggles a reaction on a topic.
func (s *Service) ReactTopic(ctx context.Context, a *actor.Actor, id int64, in ReactionInput) (ReactionList, error) {
	return s.React(ctx, a, reactTopic, id, id, in)
}

// ReactReply toggles a reaction on a reply.
func (s *Service) ReactReply(ctx context.Context, a *actor.Actor, topicID, id int64, in ReactionInput) (ReactionList, error) {
	return s.React(ctx, a, reactReply, topicID, id, in)
}

// fillReactions sets the reactions of n things of a kind in one query: at(i) is the i-th
// thing's id and where its reactions go (never nil: an empty list).
func (s *Service) fillReactions(ctx context.Context, tn db.Tenant, a *actor.Actor, kind string, n int, at func(i int) (int64, *[]Reaction)) error {
	if n == 0 {
		return nil
	}
	ids := make([]int64, n)
	byID := make(map[int64]*[]Reaction, n)
	for i := range n {
		id, out := at(i)
		ids[i], byID[id] = id, out
		*out = []Reaction{}
	}
	var rows []struct {
		TargetID int64  `bun:"target_id"`
		Emoji    string `bun:"emoji"`
		UserID   int64  `bun:"user_id"`
		Name     string `bun:"name"`
	}
	err := tn.SelectFrom("intranet_reactions", "x").ColumnExpr("x.target_id, x.emoji, x.user_id, (SELECT u.name FROM users AS u WHERE u.id = x.user_id) AS name").
		Where("x.target_kind = ? AND x.target_id IN (?)", kind, bun.In(ids)).OrderExpr("x.target_id, x.created_at, x.user_id").Scan(ctx, &rows)
	if err != nil {
		return err
	}
	for _, emoji := range Emojis {
		for _, r := range rows {
			if r.Emoji != emoji {
				continue
			}
			list := byID[r.TargetID]
			if k := len(*list); k == 0 || (*list)[k-1].Emoji != emoji {
				*list = append(*list, Reaction{Emoji: emoji, Names: []string{}})
			}
			re := &(*list)[len(*list)-1]
			re.Count++
			re.Mine = re.Mine || r.UserID == a.UserID
			if len(re.Names) < maxReactionNames {
				re.Names = append(re.Names, r.Name)
			}
		}
	}
	return nil
}

// Title is the reaction's hover text: who chose it.
func (r Reaction) Title() string { return strings.Join(r.Names, ", ") }

// dropReactions deletes the reactions of one thing (being deleted).
func dropReactions(ctx context.Context, tn db.Tenant, kind string, id int64) error {
	_, err := tn.Exec(ctx, "DELETE FROM intranet_reactions WHERE account_id = ? AND target_kind = ? AND target_id = ?", kind, id)
	return err
}

// dropReactionsUnder deletes the reactions of a post or topic being deleted and of its comments
// or replies (childKind in table, whose parentCol is the id).
func dropReactionsUnder(ctx context.Context, tn db.Tenant, kind string, id int64, childKind, table, parentCol string) error {
	if err := dropReactions(ctx, tn, kind, id); err != nil {
		return err
	}
	_, err := tn.Exec(ctx, "DELETE FROM intranet_reactions WHERE account_id = ? AND target_kind = ? AND target_id IN (SELECT ch.id FROM "+table+" AS ch WHERE ch."+parentCol+" = ?)", childKind, id)
	return err
}
