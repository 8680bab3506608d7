package mail

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/events"
)

// EventType is the outbox event of a queued email.
const EventType = "mail.queued"

// Kinds of email (each has its templates in core/notify).
const (
	KindInvitation    = "invitation"
	KindPasswordReset = "password_reset"
	KindNotice        = "notice"
	KindDigest        = "digest"
	// KindLink is a module's email that asks the person to follow one link (confirm an
	// erasure, download an export). Its texts are message keys of the module's catalogues in
	// Data: "subject", "body" and "button" (with "expiry" optional; the body may use
	// {{.Account}}, {{.Date}} from "date" and {{.Amount}} from "amount"), rendered in the reader's
	// language when the email is sent; the link is Secret "link" (sealed) or Data "link".
	KindLink = "link"
)

// Queued is an email waiting to be rendered and sent: the payload of a mail.queued event.
type Queued struct {
	Kind string `json:"kind"`
	// AccountID is the account the email comes from; 0 for GroupCamp itself (a password
	// reset). A person's block of an account stops that account's email to them.
	AccountID int64  `json:"account_id"`
	UserID    int64  `json:"user_id"`
	To        string `json:"to"`
	// Data fills the templates (names, the notification's text, a link without a secret).
	Data map[string]string `json:"data,omitempty"`
	// Lines are list items (the notifications of a digest).
	Lines []string `json:"lines,omitempty"`
	// Sealed holds what must not rest in clear in the outbox (links carrying a token),
	// encrypted with the server's secret key.
	Sealed string `json:"sealed,omitempty"`
	// ReplyKind and ReplyID name what a notice is about ("task", 42): with email in on, its
	// Reply-To is the person's signed reply address for it, computed when the email is sent
	// (an address that posts in the person's name never rests in the outbox).
	ReplyKind string `json:"reply_kind,omitempty"`
	ReplyID   int64  `json:"reply_id,omitempty"`
	// Transactional mail is asked for by the person (a password reset): it is sent even to a
	// person who blocked the sender.
	Transactional bool `json:"transactional,omitempty"`
}

// Queue writes emails into the outbox, sealing their secrets.
type Queue struct {
	aead cipher.AEAD
}

// NewQueue returns a queue whose seal is derived from the server's secret key.
func NewQueue(secretKey string) *Queue {
	mac := hmac.New(sha256.New, []byte(secretKey))
	mac.Write([]byte("groupcamp mail seal v1"))
	block, err := aes.NewCipher(mac.Sum(nil))
	if err != nil {
		panic(err) // a 32-byte key always makes a cipher
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic(err)
	}
	return &Queue{aead: aead}
}

// Enqueue writes m, with secret sealed into it, as an event in tx: the email exists if and only
// if the transaction commits, and it is sent after the commit by a background job.
func (q *Queue) Enqueue(ctx context.Context, tx bun.IDB, m Queued, secret map[string]string) error {
	if len(secret) > 0 {
		plain, err := json.Marshal(secret)
		if err != nil {
			return err
		}
		nonce := make([]byte, q.aead.NonceSize())
		if _, err := rand.Read(nonce); err != nil {
			return err
		}
		m.Sealed = base64.RawURLEncoding.EncodeToString(q.aead.Seal(nonce, nonce, plain, nil))
	}
	_, err := events.Emit(ctx, tx, m.AccountID, EventType, m)
	return err
}

// Open returns the secrets sealed into m.
func (q *Queue) Open(m *Queued) (map[string]string, error) {
	out := map[string]string{}
	if m.Sealed == "" {
		return out, nil
	}
	b, err := base64.RawURLEncoding.DecodeString(m.Sealed)
	if err != nil || len(b) < q.aead.NonceSize() {
		return nil, errors.New("mail: malformed seal")
	}
	n := q.aead.NonceSize()
	plain, err := q.aead.Open(nil, b[:n], b[n:], nil)
	if err != nil {
		return nil, fmt.Errorf("mail: seal: %w (was the secret key changed?)", err)
	}
	return out, json.Unmarshal(plain, &out)
}

// Block is a person's refusal of every email from one account (the "report spam" link), as
// their profile lists it. AccountID 0 is GroupCamp itself.
type Block struct {
	ID          int64     `json:"id"`
	AccountID   int64     `json:"-"`
	AccountSlug string    `json:"account_slug,omitempty"`
	AccountName string    `json:"account_name"`
	CreatedAt   time.Time `json:"created_at"`
}
