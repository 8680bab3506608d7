package notify

import "testing"

// TestReplyTarget: the notices whose emails get a reply address — a task's, a discussion's
// (in the intranet or under a project's tab), a news post's (about its comments) — and the
// ones that do not.
func TestReplyTarget(t *testing.T) {
	t.Parallel()
	for path, want := range map[string]struct {
		kind string
		id   int64
	}{
		"/tasks/42#comment-7":               {"task", 42},
		"/intranet/topics/5#reply-9":        {"topic", 5},
		"/projects/3/discussions/5#reply-9": {"topic", 5},
		"/intranet/news/8#comment-2":        {"news", 8},
		"/intranet/news/8":                  {"news", 8},
		"/intranet/news":                    {},
		"/projects/3":                       {},
		"/projects/3/discussions":           {},
	} {
		if kind, id := replyTarget(path); kind != want.kind || id != want.id {
			t.Errorf("replyTarget(%q) = %q %d, want %q %d", path, kind, id, want.kind, want.id)
		}
	}
}
