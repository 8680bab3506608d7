package extranet

import (
	"time"

	"github.com/uptrace/bun"
)

// States of a deliverable and of a round. A deliverable's state is its latest round's; a round
// replaced by a resubmission before it was decided is superseded.
const (
	StatePending    = "pending"
	StateApproved   = "approved"
	StateRejected   = "rejected"
	StateSuperseded = "superseded"
)

// Limits on what people type.
const (
	MaxTitle       = 200
	MaxDescription = 5000
	MaxComment     = 2000
	// MaxRoundFiles is the most files a round holds.
	MaxRoundFiles = 10
)

// Deliverable is something a team submits to a client company for approval.
type Deliverable struct {
	bun.BaseModel `bun:"table:extranet_deliverables,alias:d"`

	ID          int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID   int64     `bun:"account_id" json:"-"`
	ProjectID   int64     `bun:"project_id" json:"project_id"`
	CompanyID   int64     `bun:"company_id" json:"company_id"`
	Title       string    `bun:"title" json:"title"`
	State       string    `bun:"state" json:"state" enum:"pending,approved,rejected"`
	Round       int       `bun:"round" json:"round"`
	SubmittedBy *int64    `bun:"submitted_by" json:"submitted_by"`
	CreatedAt   time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt   time.Time `bun:"updated_at" json:"updated_at"`

	// For people: the project's, the company's and the submitter's names.
	ProjectName   string `bun:"project_name,scanonly" json:"project_name"`
	CompanyName   string `bun:"company_name,scanonly" json:"company_name"`
	SubmitterName string `bun:"submitter_name,scanonly" json:"submitter_name"`
}

// Round is one submission of a deliverable, with its decision.
type Round struct {
	bun.BaseModel `bun:"table:extranet_rounds,alias:r"`

	ID            int64  `bun:"id,pk,autoincrement" json:"-"`
	AccountID     int64  `bun:"account_id" json:"-"`
	DeliverableID int64  `bun:"deliverable_id" json:"deliverable_id"`
	N             int    `bun:"n" json:"n"`
	Description   string `bun:"description" json:"description"`
	// FileID and FileName are the round's first file (the API's single-file field, kept for
	// old clients); Files are all of them, in order.
	FileID      *int64      `bun:"file_id" json:"file_id"`
	FileName    string      `bun:"file_name" json:"file_name"`
	Files       []RoundFile `bun:"-" json:"files"`
	State       string      `bun:"state" json:"state" enum:"pending,approved,rejected,superseded"`
	SubmittedBy *int64      `bun:"submitted_by" json:"submitted_by"`
	SubmittedAt time.Time   `bun:"submitted_at" json:"submitted_at"`
	DecidedBy   *int64      `bun:"decided_by" json:"decided_by"`
	DecidedAt   *time.Time  `bun:"decided_at" json:"decided_at"`
	Comment     string      `bun:"comment" json:"comment"`

	SubmitterName string `bun:"submitter_name,scanonly" json:"submitter_name"`
	DeciderName   string `bun:"decider_name,scanonly" json:"decider_name"`
}

// RoundFile is one of a round's files: a file of a folder shared with the company (its id is
// null once the file is deleted for good; its name stays in the history).
type RoundFile struct {
	bun.BaseModel `bun:"table:extranet_round_files,alias:rf"`

	ID        int64  `bun:"id,pk,autoincrement" json:"-"`
	AccountID int64  `bun:"account_id" json:"-"`
	RoundID   int64  `bun:"round_id" json:"-"`
	Position  int    `bun:"position" json:"-"`
	FileID    *int64 `bun:"file_id" json:"file_id"`
	FileName  string `bun:"file_name" json:"file_name"`
}

// DeliverableView is a deliverable with its rounds, newest first.
type DeliverableView struct {
	Deliverable
	Rounds []Round `json:"rounds"`
	// Decidable: the reader may approve or reject it now (a client of its company, pending).
	Decidable bool `json:"decidable"`
	// Resubmittable: the reader may submit a new round (staff who see it, not approved).
	Resubmittable bool `json:"resubmittable"`
}

// DeliverableInput submits a deliverable to a client company, on a project it is a client of.
type DeliverableInput struct {
	ProjectID   int64  `json:"project_id" openapi:"required" example:"3"`
	CompanyID   int64  `json:"company_id" openapi:"required" example:"4"`
	Title       string `json:"title" openapi:"required" example:"Home page mock-ups"`
	Description string `json:"description" example:"Three variants, as discussed on Monday."`
	// FileID is one file (kept for old clients); FileIDs several (at most 10, with FileID
	// first when both are given). Each must be in a folder shared with the company.
	FileID  int64   `json:"file_id" example:"0"`
	FileIDs []int64 `json:"file_ids" example:"[12,13]"`
}

// RoundInput resubmits a deliverable: a new round.
type RoundInput struct {
	Description string  `json:"description" example:"Variant B with the new logo."`
	FileID      int64   `json:"file_id" example:"0"`
	FileIDs     []int64 `json:"file_ids" example:"[14]"`
}

// Decision approves or rejects a deliverable (a reject needs a comment).
type Decision struct {
	Comment string `json:"comment" example:"Please use the darker blue."`
}

// Filter narrows the list of deliverables.
type Filter struct {
	State     string
	ProjectID int64
}
