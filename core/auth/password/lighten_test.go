package password

import (
	"strings"
	"testing"
)

// TestLightenForTests: a server hashes with OWASP's parameters; the test suites' lighter hashes
// are still argon2id, and hashes of both costs verify whichever cost is set.
func TestLightenForTests(t *testing.T) {
	if memory.Load() != memoryKiB {
		t.Fatalf("memory is %d KiB before LightenForTests, want %d", memory.Load(), memoryKiB)
	}
	strong, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strong, "$m=19456,t=2,p=1$") {
		t.Fatalf("a server's hash is %s, want m=19456,t=2,p=1", strong)
	}
	LightenForTests()
	t.Cleanup(func() { memory.Store(memoryKiB) })
	light, err := Hash("correct horse battery")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(light, "$argon2id$") || !strings.Contains(light, "$m=64,t=1,p=1$") {
		t.Fatalf("a test hash is %s, want argon2id m=64,t=1,p=1", light)
	}
	for _, h := range []string{strong, light} {
		if ok, err := Verify("correct horse battery", h); !ok || err != nil {
			t.Errorf("Verify(%s) = %v, %v", h, ok, err)
		}
	}
}
