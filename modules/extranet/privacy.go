package extranet

import (
	"context"
	"errors"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/personal"
)

// personalData is the module's part of a person's GDPR rights (hooks.PersonalData): the
// deliverables and rounds they submitted (with the rounds' files: extranet_round_files names
// them, no person), and the decisions they took with their comments
// (extranet_deliverables.submitted_by, extranet_rounds.submitted_by, decided_by, comment), and
// which admin last changed the portal's branding (extranet_branding.updated_by: detached).
//
// Deliverables are the account's business record between it and its client: Erase keeps them,
// detaching the person (their id goes), and removes the text they wrote — the descriptions of
// the rounds they submitted and the comments of their decisions — unless the account keeps
// text (hooks.Erasure.KeepText).
type personalData struct{ svc *Service }

// Category keys (locales).
const (
	catSubmitted = "extranet.data.submitted"
	catDecisions = "extranet.data.decisions"
)

func (personalData) Tables() []string {
	return []string{"extranet_deliverables", "extranet_rounds", "extranet_round_files", "extranet_branding"}
}

// Describe counts the rounds the person submitted and the decisions they took.
func (p personalData) Describe(ctx context.Context, s hooks.Subject) ([]hooks.DataCategory, error) {
	subs, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("extranet_rounds", "r").Where("r.submitted_by = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	decs, err := personal.Count(ctx, s, func() *bun.SelectQuery {
		return p.svc.tenant(s.AccountID).SelectFrom("extranet_rounds", "r").Where("r.decided_by = ?", s.UserID)
	})
	if err != nil {
		return nil, err
	}
	return []hooks.DataCategory{
		personal.Category("extranet", catSubmitted, subs, personal.FieldActions, personal.FieldText, personal.FieldTimes),
		personal.Category("extranet", catDecisions, decs, personal.FieldActions, personal.FieldText, personal.FieldTimes),
	}, nil
}

// exportedRound is one round the person submitted or decided.
type exportedRound struct {
	RoundID       int64      `json:"-" bun:"round_id"`
	DeliverableID int64      `json:"deliverable_id" bun:"deliverable_id"`
	Title         string     `json:"title" bun:"title"`
	Round         int        `json:"round" bun:"round"`
	State         string     `json:"state" bun:"state"`
	Description   string     `json:"description,omitempty" bun:"description"`
	Comment       string     `json:"comment,omitempty" bun:"comment"`
	SubmittedAt   time.Time  `json:"submitted_at" bun:"submitted_at"`
	DecidedAt     *time.Time `json:"decided_at,omitempty" bun:"decided_at"`
	// Files are the round's files (for the rounds the person submitted).
	Files []RoundFile `json:"files,omitempty" bun:"-"`
}

// Export writes extranet_submitted.json and extranet_decisions.json.
func (p personalData) Export(ctx context.Context, s hooks.Subject, out hooks.Exporter) error {
	tn := p.svc.tenant(s.AccountID)
	q := func(col string) ([]exportedRound, error) {
		rows := []exportedRound{}
		err := tn.SelectFrom("extranet_rounds", "r").
			ColumnExpr("r.id AS round_id, r.deliverable_id, d.title, r.n AS round, r.state, r.description, r.comment, r.submitted_at, r.decided_at").
			Join("JOIN extranet_deliverables AS d ON d.account_id = r.account_id AND d.id = r.deliverable_id").
			Where("r."+col+" = ?", s.UserID).OrderExpr("r.id").Scan(ctx, &rows)
		return rows, err
	}
	subs, err := q("submitted_by")
	if err != nil {
		return err
	}
	for i := range subs {
		subs[i].Comment = "" // the client's words, not the person's
	}
	if err := roundFiles(ctx, tn, subs); err != nil {
		return err
	}
	decs, err := q("decided_by")
	if err != nil {
		return err
	}
	for i := range decs {
		decs[i].Description = "" // the submitter's words
	}
	if err := out.JSON("extranet_submitted.json", subs); err != nil {
		return err
	}
	return out.JSON("extranet_decisions.json", decs)
}

// roundFiles fills the files of the exported rounds (by id, in order).
func roundFiles(ctx context.Context, tn db.Tenant, rs []exportedRound) error {
	at := map[int64]int{}
	ids := make([]int64, 0, len(rs))
	for i, r := range rs {
		at[r.RoundID] = i
		ids = append(ids, r.RoundID)
	}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		var fs []RoundFile
		if err := tn.Select(&fs).Where("rf.round_id IN (?)", bun.List(ids[:n])).OrderExpr("rf.round_id, rf.position").Scan(ctx); err != nil {
			return err
		}
		for _, f := range fs {
			rs[at[f.RoundID]].Files = append(rs[at[f.RoundID]].Files, f)
		}
		ids = ids[n:]
	}
	return nil
}

// Erase detaches the person from the deliverables and rounds, and removes their text unless
// the account keeps it, in tx.
func (p personalData) Erase(ctx context.Context, tx bun.IDB, s hooks.Subject, e hooks.Erasure) error {
	if s.AccountID <= 0 || s.UserID <= 0 {
		return errors.New("extranet: erase: no account or no person")
	}
	if e.Closure {
		return nil // every row of the account goes afterwards
	}
	tn := db.For(tx, s.AccountID)
	qs := []string{}
	if !e.KeepText {
		qs = append(qs,
			"UPDATE extranet_rounds SET description = '' WHERE account_id = ? AND submitted_by = ?",
			"UPDATE extranet_rounds SET comment = '' WHERE account_id = ? AND decided_by = ?")
	}
	qs = append(qs,
		"UPDATE extranet_rounds SET submitted_by = NULL WHERE account_id = ? AND submitted_by = ?",
		"UPDATE extranet_rounds SET decided_by = NULL WHERE account_id = ? AND decided_by = ?",
		"UPDATE extranet_deliverables SET submitted_by = NULL WHERE account_id = ? AND submitted_by = ?",
		"UPDATE extranet_branding SET updated_by = NULL WHERE account_id = ? AND updated_by = ?")
	for _, q := range qs {
		if _, err := tn.Exec(ctx, q, s.UserID); err != nil {
			return err
		}
	}
	return nil
}

var _ hooks.PersonalData = personalData{}
