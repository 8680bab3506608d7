package webhooks

import (
	"time"

	"github.com/uptrace/bun"
)

// Delivery states.
const (
	StatePending   = "pending"   // due at next_at (or waiting for its hook to be enabled again)
	StateSucceeded = "succeeded" // the receiver answered 2xx
	StateFailed    = "failed"    // every attempt failed
)

// PingType is the event type of the test delivery ("send test"): no module emits it.
const PingType = "webhook.ping"

// Webhook is a URL an admin registered for some event types.
type Webhook struct {
	bun.BaseModel `bun:"table:webhooks_hooks,alias:h"`

	ID          int64    `bun:"id,pk,autoincrement" json:"id"`
	AccountID   int64    `bun:"account_id" json:"-"`
	URL         string   `bun:"url" json:"url" example:"https://hooks.example.com/groupcamp"`
	Description string   `bun:"description" json:"description" example:"CRM sync"`
	Events      []string `bun:"events,type:text" json:"events" example:"[\"task.created\"]"`
	// Secret is never answered but once, when the hook is created (NewWebhook).
	Secret         string     `bun:"secret" json:"-"`
	Enabled        bool       `bun:"enabled" json:"enabled"`
	Failures       int        `bun:"failures" json:"failures"`
	DisabledAt     *time.Time `bun:"disabled_at" json:"disabled_at"`
	LastDeliveryAt *time.Time `bun:"last_delivery_at" json:"last_delivery_at"`
	LastStatus     int        `bun:"last_status" json:"last_status"`
	CreatedBy      *int64     `bun:"created_by" json:"created_by"`
	CreatedAt      time.Time  `bun:"created_at" json:"created_at"`
	UpdatedAt      time.Time  `bun:"updated_at" json:"updated_at"`
}

// NewWebhook is a new hook with its secret: the one answer that shows it.
type NewWebhook struct {
	Webhook
	Secret string `json:"secret"`
}

// Delivery is one event sent (or to send) to one hook, with what its last attempt got.
type Delivery struct {
	bun.BaseModel `bun:"table:webhooks_deliveries,alias:d"`

	ID        int64  `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64  `bun:"account_id" json:"-"`
	WebhookID int64  `bun:"webhook_id" json:"webhook_id"`
	EventID   int64  `bun:"event_id" json:"event_id"`
	EventType string `bun:"event_type" json:"event_type"`
	MessageID int64  `bun:"message_id" json:"-"`
	// Body is the JSON sent (its message's), the same bytes on every attempt, so that its
	// signature checks the same way however late it comes.
	Body         string     `bun:"-" json:"-"`
	State        string     `bun:"state" json:"state" enum:"pending,succeeded,failed"`
	Attempts     int        `bun:"attempts" json:"attempts"`
	NextAt       *time.Time `bun:"next_at" json:"next_at"`
	ClaimedUntil *time.Time `bun:"claimed_until" json:"-"`
	StatusCode   int        `bun:"status_code" json:"status_code"`
	DurationMS   int        `bun:"duration_ms" json:"duration_ms"`
	Error        string     `bun:"error" json:"error"`
	// Response is the first bytes of the receiver's answer (ResponseKept).
	Response    string     `bun:"response" json:"response"`
	CreatedAt   time.Time  `bun:"created_at" json:"created_at"`
	AttemptedAt *time.Time `bun:"attempted_at" json:"attempted_at"`
}

// stored is an event's body as the hooks get it (Message, in JSON), kept once for all the
// deliveries of the event.
type stored struct {
	bun.BaseModel `bun:"table:webhooks_messages,alias:m"`

	ID        int64     `bun:"id,pk,autoincrement"`
	AccountID int64     `bun:"account_id"`
	EventID   int64     `bun:"event_id"`
	EventType string    `bun:"event_type"`
	Body      string    `bun:"body"`
	CreatedAt time.Time `bun:"created_at"`
}

// WebhookInput registers a hook: the URL (http or https, a public address), the event types ("*"
// for every one) and the secret that signs the deliveries (blank: one is generated and
// answered once).
type WebhookInput struct {
	URL         string   `json:"url" openapi:"required" example:"https://hooks.example.com/groupcamp"`
	Events      []string `json:"events" openapi:"required" example:"[\"task.created\",\"task.completed\"]"`
	Secret      string   `json:"secret" example:""`
	Description string   `json:"description" example:"CRM sync"`
}

// WebhookPatch changes a hook; absent fields stay. A new secret signs the deliveries from then on.
type WebhookPatch struct {
	URL         *string   `json:"url" example:"https://hooks.example.com/groupcamp/v2"`
	Events      *[]string `json:"events" example:"[\"*\"]"`
	Secret      *string   `json:"secret" example:"a-new-secret-of-24-chars"`
	Description *string   `json:"description" example:"CRM sync (v2)"`
}

// Message is the JSON a receiver gets: the event, with the account's slug.
type Message struct {
	ID        int64     `json:"id"`
	Type      string    `json:"type"`
	Account   string    `json:"account"`
	CreatedAt time.Time `json:"created_at"`
	Data      any       `json:"data"`
}

// EventChoices lists the event types a hook may ask for.
type EventChoices struct {
	Items []string `json:"items"`
}
