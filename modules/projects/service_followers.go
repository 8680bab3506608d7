package projects

// Following a task. A task's author and its assignees follow it by default; anyone who sees
// the task may follow it (PUT .../tasks/{id}/follow) or stop (DELETE), the defaults included,
// and whoever comments follows it unless they chose not to. A comment notifies the task's
// followers other than its author (a client's comment too); those it mentions get the
// mention's notice instead (notices.go). A person who unfollowed a task they are assigned to
// stops hearing of its comments, not of their assignment or its reminders.

import (
	"context"
	"slices"
	"strings"

	"groupcamp/core/actor"
)

// Followers lists who follows a task the actor sees, by name, and whether the actor does. A
// client reads the colleagues and the people of their own company, never other clients.
func (s *Service) Followers(ctx context.Context, a *actor.Actor, taskID int64) (*FollowerList, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	t, _, err := s.store.task(ctx, tn, sc, taskID)
	if err != nil {
		return nil, err
	}
	ids, err := s.store.followers(ctx, tn, t.ID)
	if err != nil {
		return nil, err
	}
	people, err := s.People.MembersByID(ctx, a, ids)
	if err != nil {
		return nil, err
	}
	out := &FollowerList{Items: []Follower{}, Following: slices.Contains(ids, a.UserID)}
	for _, id := range ids {
		m, ok := people[id]
		if !ok || (sc.Client && m.Role == actor.RoleClient && m.CompanyID != sc.CompanyID) {
			continue
		}
		out.Items = append(out.Items, Follower{UserID: id, Name: m.Name})
	}
	slices.SortFunc(out.Items, func(x, y Follower) int { return strings.Compare(strings.ToLower(x.Name), strings.ToLower(y.Name)) })
	return out, nil
}

// Follow makes the actor follow a task they see (on), or stop following it. It is the
// actor's own choice: it changes nothing of the task, so it is open in an archived project.
func (s *Service) Follow(ctx context.Context, a *actor.Actor, taskID int64, on bool) error {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	t, _, err := s.store.task(ctx, tn, sc, taskID)
	if err != nil {
		return err
	}
	return s.store.setFollowing(ctx, tn, &taskFollower{AccountID: t.AccountID, TaskID: t.ID, UserID: a.UserID, Following: on, CreatedAt: s.now()})
}

// Mentionable are the people a comment on a task may mention, as the reader may know them:
// the project's members who see the task, other than the reader (for the comment box's
// suggestions); a client is offered the colleagues and the people of their own company.
func (s *Service) Mentionable(ctx context.Context, a *actor.Actor, taskID int64) ([]ProjectMember, error) {
	sc := scopeOf(a)
	tn := s.tenant(sc)
	t, p, err := s.store.task(ctx, tn, sc, taskID)
	if err != nil {
		return nil, err
	}
	people, _, err := s.mentionTargets(ctx, tn, a, t, p)
	if err != nil {
		return nil, err
	}
	if sc.Client {
		people = slices.DeleteFunc(people, func(m ProjectMember) bool { return m.Role == RoleClient && m.CompanyID != sc.CompanyID })
	}
	return people, nil
}
