package automation

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// PersonalData is automation's part of a person's GDPR rights: the rules they created, and the
// rules that name them (notify them, test for them).
//
// Rules are the account's configuration: Erase keeps the person's rules, detached from them
// (created_by NULL), and takes the person out of every rule of the account — out of the people
// an action notifies (an action left with nobody to notify goes; a rule left with no action is
// disabled), and out of the conditions that test a person's id (an "eq" then matches nobody, as
// it does once the person is gone; an "in" loses their id). Their name or email, wherever a
// rule or a run log quotes it, becomes personal.Redacted. A rule's name and messages are the
// account's configuration rather than the person's writing: they stay, scrubbed.
type PersonalData struct {
	DB *bun.DB
}

const catRules = "automation.data.rules"

// Tables are automation's tables that name a person (the run log may quote one).
func (PersonalData) Tables() []string { return []string{"automation_rules", "automation_runs"} }

// Describe counts the rules the person created in the account.
func (p PersonalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*Rule)(nil)).Where("account_id = ? AND created_by = ?", s.AccountID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{personal.Category("core", catRules, n, personal.FieldSettings, personal.FieldTimes)}, nil
}

// RuleExport is a rule the person created, as exported (its conditions and actions may name
// other people: only what it is).
type RuleExport struct {
	Name      string    `json:"name"`
	EventType string    `json:"event_type"`
	Enabled   bool      `json:"enabled"`
	CreatedAt time.Time `json:"created_at"`
}

// Export writes automation/rules.json.
func (p PersonalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	rows := []RuleExport{}
	if err := p.DB.NewSelect().Model((*Rule)(nil)).Column("name", "event_type", "enabled", "created_at").
		Where("account_id = ? AND created_by = ?", s.AccountID, s.UserID).OrderExpr("id").Scan(ctx, &rows); err != nil {
		return err
	}
	return out.JSON("automation/rules.json", rows)
}

// Erase detaches the person's rules and takes them out of every rule of the account.
func (PersonalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, _ hooks.Erasure) error {
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	if _, err := tx.NewUpdate().Model((*Rule)(nil)).Set("created_by = NULL").
		Where("account_id = ? AND created_by = ?", s.AccountID, s.UserID).Exec(ctx); err != nil {
		return err
	}
	var rules []Rule
	if err := tx.NewSelect().Model(&rules).Where("account_id = ?", s.AccountID).OrderExpr("id").Scan(ctx); err != nil {
		return err
	}
	for i := range rules {
		r := &rules[i]
		if err := r.decode(); err != nil {
			return err
		}
		changed := forget(r, s.UserID)
		name, scrubbed := n.Scrub(r.Name)
		conds, c1 := n.Scrub(string(marshal(r.If)))
		acts, c2 := n.Scrub(string(marshal(r.Then)))
		if !changed && !scrubbed && !c1 && !c2 {
			continue
		}
		if _, err := tx.NewUpdate().Model((*Rule)(nil)).Set("name = ?", name).Set("conditions = ?", conds).Set("actions = ?", acts).
			Set("enabled = ?", r.Enabled && len(r.Then) > 0).Where("account_id = ? AND id = ?", s.AccountID, r.ID).Exec(ctx); err != nil {
			return err
		}
	}
	_, err = personal.ScrubTable(ctx, tx, s.AccountID, "automation_runs", n, "detail")
	return err
}

// forget takes the person's id out of a rule's actions and conditions, and reports whether it
// changed anything.
func forget(r *Rule, userID int64) bool {
	changed := false
	then := r.Then[:0:0]
	for _, a := range r.Then {
		if i := slices.Index(a.Users, userID); i >= 0 {
			a.Users = slices.Delete(slices.Clone(a.Users), i, i+1)
			changed = true
			if a.Type == "notify" && len(a.Users) == 0 && len(a.Roles) == 0 {
				continue // nobody left to notify
			}
		}
		then = append(then, a)
	}
	r.Then = then
	for i := range r.If {
		c := &r.If[i]
		if !personField(c.Field) {
			continue
		}
		switch v := c.Value.(type) {
		case float64:
			if int64(v) == userID {
				c.Value, changed = 0, true
			}
		case []any:
			kept := v[:0:0]
			for _, x := range v {
				if f, ok := x.(float64); ok && int64(f) == userID {
					changed = true
					continue
				}
				kept = append(kept, x)
			}
			c.Value = kept
		case string:
			if v == jsonNumber(userID) {
				c.Value, changed = "0", true
			}
		}
	}
	return changed
}

// personField reports whether an event field holds a person's id ("actor_id",
// "payload.user_id", "payload.user_ids", "payload.author_id", "payload.assignee_id").
func personField(field string) bool {
	last := field[strings.LastIndexByte(field, '.')+1:]
	for _, suffix := range []string{"actor_id", "user_id", "user_ids", "author_id", "assignee_id", "leader_id"} {
		if strings.HasSuffix(last, suffix) {
			return true
		}
	}
	return false
}

func jsonNumber(id int64) string {
	b, _ := json.Marshal(id)
	return string(b)
}

// The ports it implements.
var _ hooks.PersonalData = PersonalData{}
