package password_test

import (
	"strings"
	"testing"
	"time"

	"groupcamp/core/auth/password"
)

func TestHashVerifyRoundTrip(t *testing.T) {
	for _, pw := range []string{"correct horse battery staple", "ünïcødé-pässwörd-✓", strings.Repeat("x1", 100)} {
		h, err := password.Hash(pw)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
			t.Fatalf("hash %q does not carry the argon2id parameters", h)
		}
		if strings.Contains(h, pw) {
			t.Fatal("the hash contains the password")
		}
		ok, err := password.Verify(pw, h)
		if err != nil || !ok {
			t.Fatalf("Verify(right password) = %v, %v", ok, err)
		}
	}
}

func TestWrongPasswordIsRefused(t *testing.T) {
	h, err := password.Hash("the-right-password")
	if err != nil {
		t.Fatal(err)
	}
	for _, wrong := range []string{"the-right-passworD", "the-right-password ", "", "the-right-passwor"} {
		ok, err := password.Verify(wrong, h)
		if err != nil {
			t.Fatalf("Verify(%q): unexpected error %v", wrong, err)
		}
		if ok {
			t.Fatalf("Verify(%q) accepted a wrong password", wrong)
		}
	}
}

func TestHashesDifferPerSalt(t *testing.T) {
	a, _ := password.Hash("same password twice")
	b, _ := password.Hash("same password twice")
	if a == b {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
	pa, pb := strings.Split(a, "$"), strings.Split(b, "$")
	if pa[4] == pb[4] {
		t.Fatal("salts are equal")
	}
	for _, h := range []string{a, b} {
		if ok, _ := password.Verify("same password twice", h); !ok {
			t.Fatal("each salted hash must verify")
		}
	}
}

func TestMalformedHashIsAnError(t *testing.T) {
	good, _ := password.Hash("a-fine-password")
	parts := strings.Split(good, "$")
	for name, h := range map[string]string{
		"empty":          "",
		"bcrypt":         "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"plain text":     "a-fine-password",
		"argon2i":        strings.Replace(good, "$argon2id$", "$argon2i$", 1),
		"other version":  strings.Replace(good, "$v=19$", "$v=16$", 1),
		"bad params":     strings.Join([]string{parts[0], parts[1], parts[2], "m=lots", parts[4], parts[5]}, "$"),
		"bad salt":       strings.Join([]string{parts[0], parts[1], parts[2], parts[3], "!!!", parts[5]}, "$"),
		"bad key":        strings.Join([]string{parts[0], parts[1], parts[2], parts[3], parts[4], "%%%"}, "$"),
		"missing a part": strings.Join(parts[:5], "$"),
	} {
		ok, err := password.Verify("a-fine-password", h)
		if err == nil || ok {
			t.Errorf("%s: Verify = %v, %v; want false and an error", name, ok, err)
		}
	}
}

func TestPolicy(t *testing.T) {
	cases := []struct {
		pw   string
		want string // a part of the message; "" means accepted
	}{
		{"short", "at least 10"},
		{"123456789", "at least 10"},
		{"ééééééééé", "at least 10"}, // 9 runes, 18 bytes: length counts characters
		{"blue-kite7", ""},           // exactly 10
		{"éèêëēėęàáâ", ""},           // 10 runes
		{strings.Repeat("ab", 100), ""},
		{strings.Repeat("ab", 100) + "c", "at most 200"},
		{"password123", "too common"},
		{"PassWord123", "too common"}, // case-insensitive
		{"QWERTYUIOP", "too common"},
		{"1234567890", "too common"},
		{"aaaaaaaaaaaa", "too common"}, // one character repeated
		{"............", "too common"},
		{"ЖЖЖЖЖЖЖЖЖЖЖ", "too common"},
		{"aaaaaaaaaab", ""},
		{"a sentence that nobody else would type", ""},
	}
	for _, tc := range cases {
		got := password.Check(tc.pw)
		if tc.want == "" && got != "" {
			t.Errorf("Check(%q) = %q, want accepted", tc.pw, got)
		}
		if tc.want != "" && !strings.Contains(got, tc.want) {
			t.Errorf("Check(%q) = %q, want a message with %q", tc.pw, got, tc.want)
		}
	}
}

func TestIsCommon(t *testing.T) {
	for pw, want := range map[string]bool{
		"password1234":  true,
		"PASSWORD1234":  true,
		"zzzzzzzzzzzz":  true,
		"zzzzzzzzzzzy":  false,
		"my own phrase": false,
	} {
		if got := password.IsCommon(pw); got != want {
			t.Errorf("IsCommon(%q) = %v, want %v", pw, got, want)
		}
	}
}

// VerifyNothing must cost what a real verification costs, or response times would tell
// which emails have an account.
func TestVerifyNothingTakesAsLongAsVerify(t *testing.T) {
	h, err := password.Hash("some-real-password")
	if err != nil {
		t.Fatal(err)
	}
	fastest := func(f func()) time.Duration {
		best := time.Hour
		for range 3 {
			start := time.Now()
			f()
			best = min(best, time.Since(start))
		}
		return best
	}
	real := fastest(func() { _, _ = password.Verify("a-wrong-password", h) })
	fake := fastest(func() { password.VerifyNothing("a-wrong-password") })
	if fake < real/4 {
		t.Fatalf("VerifyNothing took %v, a real Verify %v: an unknown email would be told apart", fake, real)
	}
}
