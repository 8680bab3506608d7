// Package seal keeps secrets that the server must read back later (an OpenID Connect client
// secret, a webhook signing secret, the secret half of an HMAC key pair) encrypted at rest with
// the server key. A hash would not do: the server needs the clear value to sign or to present it.
//
// A Box is bound to a purpose: the key is derived from the server key with HKDF and the purpose
// as its info, so a value sealed for webhooks cannot be opened as an SSO secret even if someone
// copies it from one column to another. The caller may also bind a value to its row (an account
// id, a key id) with the additional data, so that it cannot be moved between rows either.
//
// A sealed value is text, safe for any column: "s1." followed by base64url(nonce ‖ ciphertext).
// The version prefix leaves room for another algorithm or a rotated key later.
package seal

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"strings"
)

const prefix = "s1."

// ErrOpen is what Open returns for a value it cannot open: not sealed by this server key, for
// another purpose or row, or altered. The cases are not told apart on purpose.
var ErrOpen = errors.New("seal: the value cannot be opened with this key")

// Box seals and opens values for one purpose. It is safe for concurrent use.
type Box struct {
	aead cipher.AEAD
}

// New derives the purpose's key from the server key. The purpose is a short constant naming
// what the values are ("webhooks.secret", "sso.client_secret"); it must never change once
// values are stored under it.
func New(serverKey, purpose string) (*Box, error) {
	if len(serverKey) < 16 {
		return nil, errors.New("seal: the server key is too short")
	}
	if purpose == "" {
		return nil, errors.New("seal: a purpose is required")
	}
	key, err := hkdf.Key(sha256.New, []byte(serverKey), []byte("groupcamp seal v1"), purpose, 32)
	if err != nil {
		return nil, err
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &Box{aead: aead}, nil
}

// MustNew is New for keys the configuration has already checked (at least 32 characters).
func MustNew(serverKey, purpose string) *Box {
	b, err := New(serverKey, purpose)
	if err != nil {
		panic(err)
	}
	return b
}

// Seal encrypts plain, bound to row (nil when the value is not tied to a row). Each call uses a
// fresh random nonce, so sealing the same value twice gives two different texts.
func (b *Box) Seal(plain, row []byte) string {
	nonce := make([]byte, b.aead.NonceSize(), b.aead.NonceSize()+len(plain)+b.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	out := b.aead.Seal(nonce, nonce, plain, row)
	return prefix + base64.RawURLEncoding.EncodeToString(out)
}

// SealString is Seal for text values.
func (b *Box) SealString(plain string, row []byte) string { return b.Seal([]byte(plain), row) }

// Open decrypts a value Seal produced with the same purpose and row.
func (b *Box) Open(sealed string, row []byte) ([]byte, error) {
	rest, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return nil, ErrOpen
	}
	raw, err := base64.RawURLEncoding.DecodeString(rest)
	if err != nil || len(raw) < b.aead.NonceSize()+b.aead.Overhead() {
		return nil, ErrOpen
	}
	n := b.aead.NonceSize()
	plain, err := b.aead.Open(nil, raw[:n], raw[n:], row)
	if err != nil {
		return nil, ErrOpen
	}
	return plain, nil
}

// OpenString is Open for text values.
func (b *Box) OpenString(sealed string, row []byte) (string, error) {
	p, err := b.Open(sealed, row)
	return string(p), err
}

// IsSealed tells a sealed value from a clear one, for migrating columns that held clear text.
func IsSealed(v string) bool { return strings.HasPrefix(v, prefix) }
