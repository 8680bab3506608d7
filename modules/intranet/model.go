package intranet

import (
	"time"

	"github.com/uptrace/bun"
)

// Limits on what people type (a longer text is refused with 413 or 422, never cut).
const (
	MaxName    = 120       // a space's name
	MaxTitle   = 200       // a post's, topic's or page's title
	MaxText    = 2000      // a space's description
	MaxBody    = 100 << 10 // a news post, topic, reply or comment (bytes)
	MaxWiki    = 200 << 10 // a wiki page (bytes)
	MaxSpaces  = 500       // spaces per account
	MaxReaders = 5000      // people listed by "who has read"
)

// Space is the container of news, topics and wiki pages: the whole company (no team), or the
// members of one team.
type Space struct {
	bun.BaseModel `bun:"table:intranet_spaces,alias:s"`

	ID          int64  `bun:"id,pk,autoincrement" json:"id"`
	AccountID   int64  `bun:"account_id" json:"-"`
	Name        string `bun:"name" json:"name" example:"Engineering"`
	Description string `bun:"description" json:"description" example:"News and docs of the engineering team"`
	TeamID      *int64 `bun:"team_id" json:"team_id"`
	// ProjectID is the project whose own wiki and discussions the space holds (nil: none).
	ProjectID *int64 `bun:"project_id" json:"project_id"`
	// SharedWithClients opens a project's space to the project's clients.
	SharedWithClients bool      `bun:"shared_with_clients" json:"shared_with_clients"`
	CreatedBy         *int64    `bun:"created_by" json:"created_by"`
	CreatedAt         time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt         time.Time `bun:"updated_at" json:"updated_at"`
	// TeamName is the team's name (empty for the company's spaces).
	TeamName string `bun:"team_name,scanonly" json:"team_name"`
	// ReadOnly is, for a project's space, whether its project is archived: its wiki and
	// discussions are then read, not written (409).
	ReadOnly bool `bun:"-" json:"read_only"`
}

// Company reports whether the space is the whole company's.
func (s Space) Company() bool { return s.TeamID == nil && s.ProjectID == nil }

// SpaceInput creates a space; no team_id: the whole company.
type SpaceInput struct {
	Name        string `json:"name" openapi:"required" example:"Engineering"`
	Description string `json:"description" text:"multiline" example:"News and docs of the engineering team"`
	TeamID      *int64 `json:"team_id" example:"3"`
}

// News is a post of a space, published at PublishAt (a later time schedules it).
type News struct {
	bun.BaseModel `bun:"table:intranet_news,alias:n"`

	ID        int64  `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64  `bun:"account_id" json:"-"`
	SpaceID   int64  `bun:"space_id" json:"space_id"`
	Title     string `bun:"title" json:"title" example:"The office moves on Monday"`
	Body      string `bun:"body" json:"body" example:"Pack your desk by **Friday**."`
	Pinned    bool   `bun:"pinned" json:"pinned"`
	// Indexed is whether the search has the post (a scheduled one: once its time came).
	Indexed   bool      `bun:"indexed" json:"-"`
	PublishAt time.Time `bun:"publish_at" json:"publish_at"`
	AuthorID  *int64    `bun:"author_id" json:"author_id"`
	Comments  int       `bun:"comments" json:"comments"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt time.Time `bun:"updated_at" json:"updated_at"`
	// EditedAt is when it was last edited (nil: never), the "edited" mark.
	EditedAt *time.Time `bun:"edited_at" json:"edited_at"`
	// Editable is whether the caller may edit and delete it (its author, managers and up).
	Editable  bool       `bun:"-" json:"editable"`
	Reactions []Reaction `bun:"-" json:"reactions,omitempty"`

	AuthorName string `bun:"author_name,scanonly" json:"author_name"`
	SpaceName  string `bun:"space_name,scanonly" json:"space_name"`
	// Read is whether the caller has read it.
	Read bool `bun:"is_read,scanonly" json:"read"`
}

// NewsInput posts news; no publish_at: now.
type NewsInput struct {
	SpaceID   int64      `json:"space_id" openapi:"required" example:"1"`
	Title     string     `json:"title" openapi:"required" example:"The office moves on Monday"`
	Body      string     `json:"body" openapi:"required" text:"multiline" example:"Pack your desk by **Friday**."`
	Pinned    bool       `json:"pinned" example:"false"`
	PublishAt *time.Time `json:"publish_at" example:"2026-12-14T08:00:00Z"`
}

// Reader is one person of a post's audience, with when they read it (nil: not yet).
type Reader struct {
	UserID int64      `bun:"user_id" json:"user_id"`
	Name   string     `bun:"name" json:"name"`
	ReadAt *time.Time `bun:"read_at" json:"read_at"`
}

// Readers is "read by 34 of 40", and who has and has not.
type Readers struct {
	Read     int      `json:"read"`
	Audience int      `json:"audience"`
	Readers  []Reader `json:"readers"`
	Unread   []Reader `json:"unread"`
}

// Unread is how many published posts the caller has not read.
type Unread struct {
	Unread int `json:"unread"`
}

// Message is what a news comment and a discussion reply share (thread.go handles both).
type Message struct {
	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID int64     `bun:"account_id" json:"-"`
	AuthorID  *int64    `bun:"author_id" json:"author_id"`
	Body      string    `bun:"body" json:"body" example:"Great news!"`
	CreatedAt time.Time `bun:"created_at" json:"created_at"`
	// EditedAt is when it was last edited (nil: never), the "edited" mark.
	EditedAt   *time.Time `bun:"edited_at" json:"edited_at"`
	AuthorName string     `bun:"author_name,scanonly" json:"author_name"`
	// Editable is whether the caller may edit and delete it (its author, managers and up).
	Editable bool `bun:"-" json:"editable"`
	// Reactions are the emoji people reacted with, and who.
	Reactions []Reaction `bun:"-" json:"reactions,omitempty"`
}

func (m *Message) message() *Message { return m }

// Reaction is one emoji of the fixed set (Emojis) on a post, comment, topic or reply: how many
// people chose it, who (by name, for the hover title), and whether the caller is one of them.
type Reaction struct {
	Emoji string   `json:"emoji" example:"👍"`
	Count int      `json:"count" example:"3"`
	Mine  bool     `json:"mine"`
	Names []string `json:"names"`
}

// Comment is a comment on a news post.
type Comment struct {
	bun.BaseModel `bun:"table:intranet_comments,alias:c"`
	Message
	NewsID int64 `bun:"news_id" json:"news_id"`
}

func (c *Comment) setParent(id int64) { c.NewsID = id }
func (c *Comment) parent() int64      { return c.NewsID }

// EditInput edits a post or a topic: its title and its text.
type EditInput struct {
	Title string `json:"title" openapi:"required" example:"The office moves on Tuesday"`
	Body  string `json:"body" openapi:"required" text:"multiline" example:"Pack your desk by **Monday**."`
}

// BodyInput is a comment or a reply.
type BodyInput struct {
	Body string `json:"body" openapi:"required" text:"multiline" example:"Agreed, @Alice Martin — let's do it."`
}

// Topic is a discussion of a space.
type Topic struct {
	bun.BaseModel `bun:"table:intranet_topics,alias:t"`

	ID             int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID      int64     `bun:"account_id" json:"-"`
	SpaceID        int64     `bun:"space_id" json:"space_id"`
	Title          string    `bun:"title" json:"title" example:"Which laptop for new hires?"`
	Body           string    `bun:"body" json:"body" example:"We need to choose before January."`
	AuthorID       *int64    `bun:"author_id" json:"author_id"`
	Replies        int       `bun:"replies" json:"replies"`
	LastActivityAt time.Time `bun:"last_activity_at" json:"last_activity_at"`
	CreatedAt      time.Time `bun:"created_at" json:"created_at"`
	// EditedAt is when it was last edited (nil: never), the "edited" mark.
	EditedAt   *time.Time `bun:"edited_at" json:"edited_at"`
	AuthorName string     `bun:"author_name,scanonly" json:"author_name"`
	SpaceName  string     `bun:"space_name,scanonly" json:"space_name"`
	// Editable is whether the caller may edit and delete it (its author, managers and up).
	Editable  bool       `bun:"-" json:"editable"`
	Reactions []Reaction `bun:"-" json:"reactions,omitempty"`
	// Subscribed is whether the caller is told of new replies.
	Subscribed bool `bun:"is_subscribed,scanonly" json:"subscribed"`
}

// TopicInput opens a topic.
type TopicInput struct {
	SpaceID int64 `json:"space_id" example:"1"`
	// ProjectID, instead of space_id: the project's own discussions.
	ProjectID int64  `json:"project_id" example:"7"`
	Title     string `json:"title" openapi:"required" example:"Which laptop for new hires?"`
	Body      string `json:"body" openapi:"required" text:"multiline" example:"We need to choose before January."`
}

// Reply is an answer in a topic.
type Reply struct {
	bun.BaseModel `bun:"table:intranet_replies,alias:r"`
	Message
	TopicID int64 `bun:"topic_id" json:"topic_id"`
}

func (r *Reply) setParent(id int64) { r.TopicID = id }
func (r *Reply) parent() int64      { return r.TopicID }

// WikiPage is a page of a space's wiki as it is now (its latest revision).
type WikiPage struct {
	bun.BaseModel `bun:"table:intranet_wiki_pages,alias:w"`

	ID            int64     `bun:"id,pk,autoincrement" json:"id"`
	AccountID     int64     `bun:"account_id" json:"-"`
	SpaceID       int64     `bun:"space_id" json:"space_id"`
	Title         string    `bun:"title" json:"title" example:"Onboarding"`
	Body          string    `bun:"body" json:"body" example:"# Welcome\n\nRead this first."`
	Revision      int       `bun:"revision" json:"revision"`
	UpdatedBy     *int64    `bun:"updated_by" json:"updated_by"`
	CreatedAt     time.Time `bun:"created_at" json:"created_at"`
	UpdatedAt     time.Time `bun:"updated_at" json:"updated_at"`
	UpdatedByName string    `bun:"updated_by_name,scanonly" json:"updated_by_name"`
	SpaceName     string    `bun:"space_name,scanonly" json:"space_name"`
}

// WikiInput creates a page (space_id) or saves a new revision of it (base_revision: the
// revision the edit started from; a newer one exists -> 409).
type WikiInput struct {
	SpaceID int64 `json:"space_id" example:"1"`
	// ProjectID, instead of space_id: the project's own wiki.
	ProjectID    int64  `json:"project_id" example:"7"`
	Title        string `json:"title" openapi:"required" example:"Onboarding"`
	Body         string `json:"body" openapi:"required" text:"multiline" example:"# Welcome\n\nRead this first."`
	BaseRevision int    `json:"base_revision" example:"1"`
}

// Revision is one saved state of a wiki page.
type Revision struct {
	bun.BaseModel `bun:"table:intranet_wiki_revisions,alias:v"`

	ID           int64     `bun:"id,pk,autoincrement" json:"-"`
	AccountID    int64     `bun:"account_id" json:"-"`
	PageID       int64     `bun:"page_id" json:"page_id"`
	Revision     int       `bun:"revision" json:"revision"`
	Title        string    `bun:"title" json:"title"`
	Body         string    `bun:"body" json:"body"`
	AuthorID     *int64    `bun:"author_id" json:"author_id"`
	RestoredFrom int       `bun:"restored_from" json:"restored_from"`
	CreatedAt    time.Time `bun:"created_at" json:"created_at"`
	AuthorName   string    `bun:"author_name,scanonly" json:"author_name"`
}

// Diff is the word-level difference between two revisions of a page.
type Diff struct {
	From  int        `json:"from"`
	To    int        `json:"to"`
	Title []DiffPart `json:"title"`
	Body  []DiffPart `json:"body"`
}

// DiffPart is a run of text kept, inserted or deleted.
type DiffPart struct {
	Op   string `json:"op" enum:"equal,insert,delete"`
	Text string `json:"text"`
}
