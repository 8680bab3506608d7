package workflow

import (
	"context"
	"embed"
	"io/fs"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

//go:embed locales
var localeFiles embed.FS

// Catalogs are workflow's message catalogs: the categories of its personal data.
func Catalogs() fs.FS {
	sub, _ := fs.Sub(localeFiles, "locales")
	return sub
}

// PersonalData is workflow's part of a person's GDPR rights: the transitions they made (an
// approval, a refusal, with its comment).
//
// Transitions are the account's record of its approvals: Erase detaches the person's (no
// actor id, no name: "Deleted user"), removes the comments they wrote unless the erasure keeps
// text, and rewrites their name or email wherever a transition of the account quotes it.
type PersonalData struct {
	DB *bun.DB
}

const catTransitions = "workflow.data.transitions"

// Tables are workflow's tables that name a person.
func (PersonalData) Tables() []string { return []string{"workflow_transitions"} }

// Describe counts the transitions the person made in the account.
func (p PersonalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	n, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.DB.NewSelect().Model((*Step)(nil)).Where("account_id = ? AND actor_id = ?", s.AccountID, s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{personal.Category("core", catTransitions, n, personal.FieldName, personal.FieldActions, personal.FieldText, personal.FieldTimes)}, nil
}

// StepExport is one transition the person made, as exported.
type StepExport struct {
	Definition string    `json:"definition"`
	EntityType string    `json:"entity_type"`
	EntityID   int64     `json:"entity_id"`
	Transition string    `json:"transition"`
	From       string    `json:"from"`
	To         string    `json:"to"`
	Comment    string    `json:"comment,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
}

// Export writes workflow/transitions.json.
func (p PersonalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	rows := []StepExport{}
	if err := p.DB.NewSelect().TableExpr("workflow_transitions AS t").Join("JOIN workflow_instances AS i ON i.id = t.instance_id AND i.account_id = t.account_id").
		ColumnExpr("i.definition, i.entity_type, i.entity_id, t.transition, t.from_state AS \"from\", t.to_state AS \"to\", t.comment, t.created_at").
		Where("t.account_id = ? AND t.actor_id = ?", s.AccountID, s.UserID).OrderExpr("t.id").Scan(ctx, &rows); err != nil {
		return err
	}
	return out.JSON("workflow/transitions.json", rows)
}

// Erase detaches the person's transitions of the account and scrubs them from the others.
func (PersonalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, e hooks.Erasure) error {
	n, err := personal.Of(ctx, tx, s)
	if err != nil {
		return err
	}
	q := tx.NewUpdate().Model((*Step)(nil)).Set("actor_id = NULL").Set("actor_name = ''")
	if !e.KeepText {
		q = q.Set("comment = ''")
	}
	if _, err := q.Where("account_id = ? AND actor_id = ?", s.AccountID, s.UserID).Exec(ctx); err != nil {
		return err
	}
	_, err = personal.ScrubTable(ctx, tx, s.AccountID, "workflow_transitions", n, "actor_name", "comment")
	return err
}

// The ports it implements.
var _ hooks.PersonalData = PersonalData{}
