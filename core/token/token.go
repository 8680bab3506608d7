// Package token makes the random secrets GroupCamp hands out (session ids, API tokens,
// invitation and reset links) and the hashes it keeps of them: only a SHA-256 of a secret is
// stored, so a leaked database does not leak working credentials.
package token

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
)

// New returns a fresh secret with the given prefix (which tells a human what it is) and its
// hash for storage.
func New(prefix string) (raw, hash string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	raw = prefix + base64.RawURLEncoding.EncodeToString(b)
	return raw, Hash(raw)
}

// Hash is the stored form of a secret.
func Hash(raw string) string {
	sum := sha256.Sum256([]byte(raw))
	return hex.EncodeToString(sum[:])
}
