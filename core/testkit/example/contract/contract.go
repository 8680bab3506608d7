// Package contract is what the example module publishes for other modules to import: its
// event types and their payloads. It is the one package of a module another module may import.
package contract

import "groupcamp/core/events"

// NoteAdded is the payload of example.note_added.
type NoteAdded struct {
	NoteID int64  `json:"note_id"`
	Text   string `json:"text"`
}

// NoteAddedEvent is emitted when a note is added; people may be notified of it.
var NoteAddedEvent = events.Contract[NoteAdded]{Type: "example.note_added", Summary: "A note is added", Notify: true}

// Greeter is the port the example provides under GreeterPort.
type Greeter interface{ Greet(name string) string }

// GreeterPort is the name of the Greeter port.
const GreeterPort = "example.greeter"
