package intranet

import (
	"context"
	"fmt"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// NoticeMentioned is the notice a person gets when someone names them "@Their Name" in a
// topic, a reply or a comment of a space they are in.
const NoticeMentioned = "intranet.mentioned"

// mention notifies, in tx, the people of the space whose "@Name" the text holds — never the
// author, never anyone outside the space (they could not open what names them), and, for an
// edit, nobody the text named before (they were told already).
func (s *Service) mention(ctx context.Context, tn db.Tenant, a *actor.Actor, spaceID int64, before, text, title, path string) error {
	if s.Notifier == nil || !strings.Contains(text, "@") {
		return nil
	}
	var sp Space
	if err := tn.Select(&sp).Where("s.id = ?", spaceID).Scan(ctx); err != nil {
		return err
	}
	people, err := s.audience(ctx, tn.Unscoped(), sp)
	if err != nil {
		return err
	}
	lower, old := strings.ToLower(text), strings.ToLower(before)
	var ids []int64
	for _, p := range people {
		name := strings.ToLower(p.Name)
		if p.UserID != a.UserID && p.Name != "" && mentions(lower, name) && !mentions(old, name) {
			ids = append(ids, p.UserID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	return s.Notifier.Notify(ctx, tn.Unscoped(), automation.Notice{AccountID: tn.AccountID, UserIDs: ids, EventType: NoticeMentioned,
		Key: "intranet.notice.mentioned", Args: []any{"Name", a.Name, "Title", title},
		Text: fmt.Sprintf("%s mentioned you in “%s”.", a.Name, title), Path: path})
}

// mentions reports whether text (lower-cased) holds "@name" as a whole: not followed by a
// letter or digit ("@ann" is not "@anna").
func mentions(text, name string) bool {
	at := "@" + name
	for i := 0; ; {
		j := strings.Index(text[i:], at)
		if j < 0 {
			return false
		}
		end := i + j + len(at)
		if end == len(text) || !isWord(text[end]) {
			return true
		}
		i = end
	}
}

func isWord(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= '0' && b <= '9' || b == '_' || b >= 0x80
}

// MaxSuggestions is how many people the mention autocomplete lists.
const MaxSuggestions = 10

// Suggestion is a person the autocomplete offers: "@" + Name is what mentions them.
type Suggestion struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Email  string `json:"email" format:"email"`
}

// SuggestionList is the autocomplete's answer.
type SuggestionList struct {
	Items []Suggestion `json:"items"`
}

// Suggest lists the colleagues of the account (never clients) whose name — any word of it — or
// email begins with q, by name, at most MaxSuggestions, the caller left out. With a space, only
// its people (audience): a mention of anyone else notifies nobody, so they are not offered —
// for a project's space, whoever sees the project (every colleague of an open one, its
// clients too once shared; never someone who may not open it).
func (s *Service) Suggest(ctx context.Context, a *actor.Actor, q string, spaceID int64) (SuggestionList, error) {
	tn := s.tenant(a.AccountID())
	var f DirectoryFilter
	var project *Space
	if spaceID > 0 {
		sp, err := s.space(ctx, tn, a, spaceID)
		if err != nil {
			if p, ok := problem.As(err); ok && p.Status == 404 {
				return SuggestionList{}, problem.Invalid(problem.FieldError{Field: "space_id", Message: "is not a space you are in"})
			}
			return SuggestionList{}, err
		}
		if sp.TeamID != nil {
			f.TeamID = *sp.TeamID
		}
		if sp.ProjectID != nil {
			project = &sp
		}
	}
	out := SuggestionList{Items: []Suggestion{}}
	query := directoryQuery(tn, f)
	if project != nil {
		pa, ok := s.projects()
		if !ok {
			return out, nil
		}
		query = tn.SelectFrom("memberships", "m").Join("JOIN users AS u ON u.id = m.user_id").
			ColumnExpr("m.user_id, u.name, u.email, m.role").
			Where("m.user_id IN (?)", pa.Viewers(tn.Unscoped(), tn.AccountID, *project.ProjectID, project.SharedWithClients))
	}
	query = query.Where("m.user_id <> ?", a.UserID)
	if q = strings.ToLower(strings.TrimSpace(q)); q != "" {
		p := likeEscape(q) + "%"
		query = query.Where("(LOWER(u.name) LIKE ? ESCAPE '\\' OR LOWER(u.name) LIKE ? ESCAPE '\\' OR LOWER(u.email) LIKE ? ESCAPE '\\')", p, "% "+p, p)
	}
	var people []Person
	if err := query.OrderExpr("u.name, m.user_id").Limit(MaxSuggestions).Scan(ctx, &people); err != nil {
		return out, err
	}
	for _, p := range people {
		out.Items = append(out.Items, Suggestion{UserID: p.UserID, Name: p.Name, Email: p.Email})
	}
	return out, nil
}
