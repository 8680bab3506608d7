package files_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// BenchmarkTaskAttachments: the heaviest requests of attachments — a task's list of 50
// attachments as a colleague (the tasks port, the rows and their files), and a streamed
// upload of a 1 MiB attachment.
func BenchmarkTaskAttachments(b *testing.B) {
	e := testkit.Start(b, "sqlite", options())
	o := newOffice(b, e)
	mem := e.As(o.mem)
	list := o.created(b, mem, fmt.Sprintf("/projects/%d/lists", o.project), map[string]any{"name": "Launch"})
	task := o.created(b, mem, fmt.Sprintf("/projects/%d/tasks", o.project), map[string]any{"list_id": list, "title": "Brief"})
	p := fmt.Sprintf("%s/tasks/%d/attachments", o.base, task)
	for i := range 50 {
		if r := upload(mem, p, fmt.Sprintf("spec-%02d.txt", i), []byte(fmt.Sprintf("spec %d", i))); r.Status != http.StatusCreated {
			b.Fatalf("attach: %d %s", r.Status, r.Body)
		}
	}
	b.Run("list", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if r := mem.Get(p); r.Status != http.StatusOK || !strings.Contains(r.String(), "spec-49.txt") {
				b.Fatalf("list: %d", r.Status)
			}
		}
	})
	b.Run("upload-1MiB", func(b *testing.B) {
		content := bytes.Repeat([]byte("0123456789abcdef"), 1<<16)
		b.ReportAllocs()
		b.SetBytes(int64(len(content)))
		i := 0
		for b.Loop() {
			i++
			content[0] = byte(i) // new bytes each time: a real store, not a deduplicated one
			if r := upload(mem, p, "big.bin", content); r.Status != http.StatusCreated {
				b.Fatalf("upload: %d %s", r.Status, r.Body)
			}
		}
	})
}
