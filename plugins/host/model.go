package host

import (
	"time"

	"github.com/uptrace/bun"
)

// enablement is an account's choice about one plugin.
type enablement struct {
	bun.BaseModel `bun:"table:plugin_enablements"`

	AccountID    int64     `bun:"account_id,pk"`
	Plugin       string    `bun:"plugin,pk"`
	Enabled      bool      `bun:"enabled"`
	Capabilities []string  `bun:"capabilities,type:text"` // granted
	Settings     string    `bun:"settings"`               // sealed JSON object
	UpdatedAt    time.Time `bun:"updated_at"`
}

// delivery is an event waiting to be handed to a plugin.
type delivery struct {
	bun.BaseModel `bun:"table:plugin_deliveries"`

	ID           int64      `bun:"id,pk,autoincrement"`
	AccountID    int64      `bun:"account_id"`
	Plugin       string     `bun:"plugin"`
	EventID      int64      `bun:"event_id"`
	EventType    string     `bun:"event_type"`
	Payload      string     `bun:"payload"`
	EventAt      time.Time  `bun:"event_at"`
	Attempts     int        `bun:"attempts"`
	NextAt       time.Time  `bun:"next_at"`
	ClaimedUntil *time.Time `bun:"claimed_until"`
	LastError    string     `bun:"last_error"`
}

// Plugin is a plugin as an account's admins see it: its manifest, its state on this server,
// and the account's choice.
type Plugin struct {
	Name        string    `json:"name"`
	Version     string    `json:"version"`
	Description string    `json:"description"`
	Author      string    `json:"author"`
	State       string    `json:"state" enum:"stopped,running,failed,refused,invalid"`
	Reason      string    `json:"reason,omitempty"`
	Requested   []string  `json:"requested_capabilities"`
	Granted     []string  `json:"granted_capabilities"`
	Enabled     bool      `json:"enabled"`
	Sections    []Section `json:"sections"`
	Events      []string  `json:"events"`
	HTTP        bool      `json:"http"`
	Jobs        []Job     `json:"jobs"`
	// Settings are the names of its settings, and SettingsSchema their form (from the
	// manifest's JSON Schema).
	Settings       []string `json:"settings"`
	SettingsSchema []Field  `json:"settings_schema"`
	// Configured lists the settings the account has a value for; Values are those values,
	// but for the secret ones (never shown back).
	Configured []string       `json:"configured"`
	Values     map[string]any `json:"values"`
}

// PluginList is the plugins of the server, for an account.
type PluginList struct {
	Items []Plugin `json:"items"`
}

// EnableInput enables a plugin for the account: the capabilities granted (a subset of those
// requested; absent: all of them) and its settings (absent: unchanged; null or "" removes
// one), checked against the manifest's JSON Schema.
type EnableInput struct {
	Capabilities *[]string      `json:"capabilities,omitempty" example:"[\"projects.read\", \"tasks.read\"]"`
	Settings     map[string]any `json:"settings,omitempty" example:"{\"url\": \"https://hooks.example.com/in\", \"retries\": 2}"`
}
