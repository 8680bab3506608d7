package intranet

import (
	"context"
	"fmt"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/automation"
	"groupcamp/core/db"
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
