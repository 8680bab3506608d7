package seal_test

import (
	"errors"
	"strings"
	"testing"

	"groupcamp/core/seal"
)

const key = "0123456789abcdef0123456789abcdef"

func TestSealOpensOnlyForItsPurposeAndRow(t *testing.T) {
	hooks := seal.MustNew(key, "webhooks.secret")
	sso := seal.MustNew(key, "sso.client_secret")
	other := seal.MustNew(strings.Repeat("z", 32), "webhooks.secret")

	s := hooks.SealString("whsec_42", []byte("account-1"))
	if !seal.IsSealed(s) || strings.Contains(s, "whsec_42") {
		t.Fatalf("sealed value %q shows the secret or lacks the prefix", s)
	}
	if got, err := hooks.OpenString(s, []byte("account-1")); err != nil || got != "whsec_42" {
		t.Fatalf("Open = %q, %v; want whsec_42", got, err)
	}
	if s2 := hooks.SealString("whsec_42", []byte("account-1")); s2 == s {
		t.Error("two seals of one value are equal: the nonce is not fresh")
	}
	for name, open := range map[string]func() error{
		"other purpose": func() error { _, err := sso.Open(s, []byte("account-1")); return err },
		"other row":     func() error { _, err := hooks.Open(s, []byte("account-2")); return err },
		"other key":     func() error { _, err := other.Open(s, []byte("account-1")); return err },
		"altered":       func() error { _, err := hooks.Open(s[:len(s)-2]+"AA", []byte("account-1")); return err },
		"clear text":    func() error { _, err := hooks.Open("whsec_42", nil); return err },
		"short":         func() error { _, err := hooks.Open("s1.AAAA", nil); return err },
	} {
		if err := open(); !errors.Is(err, seal.ErrOpen) {
			t.Errorf("%s: Open error = %v, want ErrOpen", name, err)
		}
	}
}

func TestNewRefusesWeakInput(t *testing.T) {
	if _, err := seal.New("short", "x"); err == nil {
		t.Error("a short server key was accepted")
	}
	if _, err := seal.New(key, ""); err == nil {
		t.Error("an empty purpose was accepted")
	}
}
