// Package password hashes passwords with argon2id and applies the password policy: at least
// 10 characters, at most 200, and not one of the commonly used passwords.
package password

import (
	"bufio"
	"crypto/rand"
	"crypto/subtle"
	_ "embed"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Limits of the policy.
const (
	MinLength = 10
	MaxLength = 200
)

// Parameters follow OWASP's argon2id recommendation (19 MiB, 2 passes, 1 lane): strong
// enough for a login form, light enough that a 2-core server survives a burst of logins.
const (
	memoryKiB = 19 * 1024
	passes    = 2
	lanes     = 1
	saltLen   = 16
	keyLen    = 32
)

// testMemoryKiB is the memory of hashes made after LightenForTests: still argon2id, through
// the same code, at 1/304 of the cost.
const testMemoryKiB = 64

// memory is the argon2id memory new hashes use. Verify reads the parameters from the hash
// itself, so hashes of either cost verify whatever memory is set.
var memory atomic.Uint32

func init() { memory.Store(memoryKiB) }

// LightenForTests makes new hashes cheap (64 KiB, 1 pass) for the rest of the process. The
// test suites create thousands of users, each hashed once and verified at every sign-in: at
// ~50 ms a hash (~100 ms under -race) that was minutes of CI on 2 cores, spent proving
// argon2's cost rather than GroupCamp's behaviour. It panics outside a test binary, so a
// server cannot be started with weak hashes.
func LightenForTests() {
	if !testing.Testing() {
		panic("password: LightenForTests outside a test binary")
	}
	memory.Store(testMemoryKiB)
}

// params are the (memory, passes) of new hashes.
func params() (uint32, uint32) {
	if m := memory.Load(); m != memoryKiB {
		return m, 1
	}
	return memoryKiB, passes
}

//go:embed common.txt
var commonText string

var common = func() map[string]struct{} {
	m := map[string]struct{}{}
	sc := bufio.NewScanner(strings.NewReader(commonText))
	for sc.Scan() {
		if w := strings.TrimSpace(sc.Text()); w != "" && !strings.HasPrefix(w, "#") {
			m[strings.ToLower(w)] = struct{}{}
		}
	}
	return m
}()

// Check returns a message for the user when pw breaks the policy, or "" when it is fine.
func Check(pw string) string {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinLength:
		return fmt.Sprintf("must be at least %d characters", MinLength)
	case n > MaxLength:
		return fmt.Sprintf("must be at most %d characters", MaxLength)
	case IsCommon(pw):
		return "is too common; choose a password nobody else would"
	}
	return ""
}

// IsCommon reports whether pw is in the common-password list, or is one character repeated.
func IsCommon(pw string) bool {
	if _, ok := common[strings.ToLower(pw)]; ok {
		return true
	}
	first, _ := utf8.DecodeRuneInString(pw)
	return strings.Trim(pw, string(first)) == ""
}

// Hash returns the encoded argon2id hash of pw with a fresh salt.
func Hash(pw string) (string, error) {
	salt := make([]byte, saltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	mem, t := params()
	return encode(mem, t, salt, argon2.IDKey([]byte(pw), salt, t, mem, lanes, keyLen)), nil
}

func encode(mem, t uint32, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, mem, t, lanes,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

var errFormat = errors.New("password: unknown hash format")

// Verify reports whether pw matches the encoded hash, in constant time.
func Verify(pw, encoded string) (bool, error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errFormat
	}
	var version int
	var mem, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errFormat
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &t, &p); err != nil {
		return false, errFormat
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, errFormat
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil {
		return false, errFormat
	}
	got := argon2.IDKey([]byte(pw), salt, t, mem, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// dummy is verified against when the user does not exist, so that an unknown email takes as
// long to refuse as a wrong password and timing reveals nothing. It carries the parameters of a
// real hash with a zero salt and key, which no password produces, so that building it costs
// nothing at start (hashing a dummy password here added ~50 ms and 19 MiB to every start).
func dummy() string {
	mem, t := params()
	return encode(mem, t, make([]byte, saltLen), make([]byte, keyLen))
}

// VerifyNothing spends the same time as Verify and always fails.
func VerifyNothing(pw string) { _, _ = Verify(pw, dummy()) }
