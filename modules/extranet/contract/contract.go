// Package contract is what the extranet module publishes for the other modules (and the
// plugins' event listeners): its event types and their payload. It is the one package of
// extranet another module may import.
package contract

import "groupcamp/core/events"

// DeliverableEvent is the payload of the deliverable events.
type DeliverableEvent struct {
	DeliverableID int64  `json:"deliverable_id"`
	ProjectID     int64  `json:"project_id"`
	CompanyID     int64  `json:"company_id"`
	Title         string `json:"title"`
	Round         int    `json:"round"`
	State         string `json:"state"`
	Comment       string `json:"comment,omitempty"`
}

// The events of extranet.
var (
	DeliverableSubmitted = events.Contract[DeliverableEvent]{Type: "extranet.submitted", Summary: "A deliverable (or a new round of it) is submitted to a client company", Notify: true}
	DeliverableApproved  = events.Contract[DeliverableEvent]{Type: "extranet.approved", Summary: "A client approves a deliverable", Notify: true}
	DeliverableRejected  = events.Contract[DeliverableEvent]{Type: "extranet.rejected", Summary: "A client rejects a deliverable with a comment", Notify: true}
)

// All are the contracts of extranet.
var All = []events.Declarer{DeliverableSubmitted, DeliverableApproved, DeliverableRejected}
