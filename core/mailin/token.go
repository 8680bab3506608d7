package mailin

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"strings"
)

// Reply is what a reply address stands for: the person a notification was sent to, in one
// account, about one thing (a task: Kind "task", ID its id).
type Reply struct {
	AccountID int64
	UserID    int64
	Kind      string
	ID        int64
}

// Personal reports whether the address was made for one person (a notification's reply
// address, whose sender must be that person) rather than for a place anyone of the account
// may write to (a project's address: UserID 0).
func (r Reply) Personal() bool { return r.UserID != 0 }

// Signer makes and checks reply addresses: "reply+<payload>.<mac>@<domain>", the payload the
// Reply (varints, then the kind) in URL base64, the mac its HMAC-SHA256 (truncated to 16 bytes) with a key
// derived from the server's secret. A forged or altered address does not check.
type Signer struct {
	key    []byte
	Domain string
}

// NewSigner derives the signing key from the server's secret.
func NewSigner(secret, domain string) *Signer {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte("groupcamp mailin reply v1"))
	return &Signer{key: m.Sum(nil), Domain: domain}
}

// ErrBadAddress is an address that is no reply address of this server.
var ErrBadAddress = errors.New("mailin: not a reply address of this server")

// Address is the reply address of r.
func (s *Signer) Address(r Reply) string {
	var b []byte
	b = binary.AppendUvarint(b, uint64(r.AccountID))
	b = binary.AppendUvarint(b, uint64(r.UserID))
	b = binary.AppendUvarint(b, uint64(r.ID))
	b = append(b, r.Kind...)
	p := base64.RawURLEncoding.EncodeToString(b)
	return "reply+" + p + "." + s.mac(p) + "@" + s.Domain
}

func (s *Signer) mac(p string) string {
	m := hmac.New(sha256.New, s.key)
	m.Write([]byte(p))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// Parse checks a recipient address and answers what it stands for.
func (s *Signer) Parse(addr string) (Reply, error) {
	local, domain, ok := strings.Cut(strings.Trim(addr, "<> "), "@")
	if !ok || !strings.EqualFold(domain, s.Domain) {
		return Reply{}, ErrBadAddress
	}
	tok, ok := strings.CutPrefix(local, "reply+")
	if !ok {
		return Reply{}, ErrBadAddress
	}
	p, mac, ok := strings.Cut(tok, ".")
	if !ok || !hmac.Equal([]byte(mac), []byte(s.mac(p))) {
		return Reply{}, ErrBadAddress
	}
	b, err := base64.RawURLEncoding.DecodeString(p)
	if err != nil {
		return Reply{}, ErrBadAddress
	}
	var r Reply
	var vals [3]uint64
	for i := range vals {
		v, n := binary.Uvarint(b)
		if n <= 0 {
			return Reply{}, ErrBadAddress
		}
		vals[i], b = v, b[n:]
	}
	r.AccountID, r.UserID, r.ID, r.Kind = int64(vals[0]), int64(vals[1]), int64(vals[2]), string(b)
	return r, nil
}
