package projects_test

// Issue 11: following a task (its author and assignees by default), comments that notify the
// followers — a client's too — and mentions by first name or an unambiguous start of a name.

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

func init() { tables = append(tables, "task_followers") }

// rename gives people the names a test speaks of.
func (w *world) rename(names map[*testkit.User]string) {
	w.t.Helper()
	for u, name := range names {
		if _, err := w.e.App.DB.NewUpdate().Table("users").Set("name = ?", name).Where("id = ?", u.ID).Exec(context.Background()); err != nil {
			w.t.Fatal(err)
		}
		u.Name = name
	}
}

func TestMentionsByFirstName(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		w.rename(map[*testkit.User]string{w.member: "Alice Martin", w.member2: "Алиса Иванова", w.manager: "Carol Boss",
			w.clientX: "Bob Client", w.clientY: "Bobby Other", w.admin: "Alicia Keys"})
		pid := w.project(w.manager, map[string]any{"guests_allowed": true})
		w.join(pid, w.member, "member")
		w.join(pid, w.member2, "member")
		w.join(pid, w.clientX, "client")
		w.join(pid, w.clientY, "client")
		shared := w.task(w.manager, pid, w.taskList(pid, "Shared", w.coX), "Shared", nil)
		inner := w.task(w.manager, pid, w.taskList(pid, "Internal"), "Inner", nil)
		for _, c := range []struct {
			task int64
			body string
			want []*testkit.User
		}{
			{shared, "@Alice, look", []*testkit.User{w.member}},
			{shared, "@alic look", []*testkit.User{w.member}}, // Alicia Keys (the admin) is no member of the project
			{shared, "@Mart and @Алиса", []*testkit.User{w.member, w.member2}},
			{shared, "@алис", []*testkit.User{w.member2}},
			{shared, "@Иванова!", []*testkit.User{w.member2}},
			{shared, "@Bob please", nil}, // Bob Client and Bobby Other: ambiguous
			{shared, "@Bob Client please", []*testkit.User{w.clientX}},
			{inner, "@Bob Client please", nil},        // an internal task: no client is mentioned
			{shared, "@Carol", nil},                   // the author
			{shared, "@A", []*testkit.User{w.member}}, // Алиса begins with a Cyrillic "а": Alice alone
			{shared, "mail alice@example.test", nil},
		} {
			r := w.want(w.as(w.manager).Post(w.path("/tasks/%d/comments", c.task), map[string]any{"body": c.body}), http.StatusCreated)
			var want []int64
			for _, u := range c.want {
				want = append(want, u.ID)
			}
			slices.Sort(want)
			if got := toIDs(r.Map()["mentioned_user_ids"]); !slices.Equal(got, want) {
				t.Errorf("%q mentions %v, want %v", c.body, got, want)
			}
		}
	})
}

func TestFollowTask(t *testing.T) {
	eachDB(t, func(t *testing.T, w *world) {
		w.rename(map[*testkit.User]string{w.member: "Alice Martin", w.member2: "Dan Second", w.manager: "Carol Boss", w.clientX: "Bob Client"})
		pid := w.project(w.manager, map[string]any{"guests_allowed": true})
		w.join(pid, w.member, "member")
		w.join(pid, w.member2, "member")
		w.join(pid, w.clientX, "client")
		w.join(pid, w.clientY, "client")
		list := w.taskList(pid, "Stand", w.coX)
		task := w.task(w.manager, pid, list, "Book the stand", map[string]any{"assignees": []map[string]any{{"user_id": w.member.ID}}})
		followers := func(u *testkit.User) (names []string, following bool) {
			got := w.want(w.as(u).Get(w.path("/tasks/%d/followers", task)), http.StatusOK).Map()
			for _, it := range got["items"].([]any) {
				names = append(names, it.(map[string]any)["name"].(string))
			}
			return names, got["following"] == true
		}

		// The author and the assignee follow by default.
		if names, on := followers(w.member); strings.Join(names, ",") != "Alice Martin,Carol Boss" || !on {
			t.Fatalf("followers: %v %v", names, on)
		}
		w.want(w.as(w.member2).Put(w.path("/tasks/%d/follow", task), nil), http.StatusNoContent)
		w.want(w.as(w.member2).Put(w.path("/tasks/%d/follow", task), nil), http.StatusNoContent) // again: the same
		w.want(w.as(w.member).Delete(w.path("/tasks/%d/follow", task)), http.StatusNoContent)
		if names, on := followers(w.member); strings.Join(names, ",") != "Carol Boss,Dan Second" || on {
			t.Errorf("after a follow and an unfollow: %v %v", names, on)
		}
		check(t, "client Y follows a task it does not see", w.as(w.clientY).Put(w.path("/tasks/%d/follow", task), nil), http.StatusNotFound)
		other := w.e.NewAccount()
		check(t, "another account follows", w.e.As(other.Owner).Put("/api/v1/"+other.Slug+"/tasks/"+itoa(task)+"/follow", nil), http.StatusNotFound)

		// A client comments: the followers hear of it (not the one who unfollowed, not the
		// client), and the client follows the task from then on.
		w.want(w.as(w.clientX).Post(w.path("/tasks/%d/comments", task), map[string]any{"body": "Is the stand booked?"}), http.StatusCreated)
		w.e.Settle()
		for u, want := range map[*testkit.User]int{w.manager: 1, w.member2: 1, w.member: 0, w.clientX: 0} {
			if n := countWith(w.notices(u), "Bob Client commented on the task “Book the stand”"); n != want {
				t.Errorf("%s: %d notices of the client's comment, want %d: %q", u.Name, n, want, w.notices(u))
			}
		}
		if names, _ := followers(w.clientX); !slices.Contains(names, "Bob Client") {
			t.Errorf("the client who commented does not follow: %v", names)
		}
		// A comment that mentions Alice (who unfollowed): she hears of the mention; the other
		// followers of the comment; its author of nothing.
		w.want(w.as(w.member2).Post(w.path("/tasks/%d/comments", task), map[string]any{"body": "@Alice can you confirm?"}), http.StatusCreated)
		w.e.Settle()
		if got := w.notices(w.member); countWith(got, "mentioned in a comment on the task “Book the stand”") != 1 || countWith(got, "commented on") != 0 {
			t.Errorf("Alice's notices: %q", got)
		}
		for u, want := range map[*testkit.User]int{w.manager: 1, w.clientX: 1, w.member2: 0} {
			if n := countWith(w.notices(u), "Dan Second commented on the task"); n != want {
				t.Errorf("%s: %d notices of Dan's comment, want %d", u.Name, n, want)
			}
		}
		// A follower who turned the category off hears nothing more.
		w.want(w.as(w.manager).Put(w.path("/notification-preferences"), map[string]any{"preferences": []map[string]string{{"event_type": "task.commented", "channel": "off"}}}), http.StatusOK)
		w.want(w.as(w.member2).Post(w.path("/tasks/%d/comments", task), map[string]any{"body": "Booked."}), http.StatusCreated)
		w.e.Settle()
		if n := countWith(w.notices(w.manager), "commented on the task"); n != 2 {
			t.Errorf("the manager turned comments off and still heard: %d", n)
		}

		// A client reads the colleagues and their own company among the followers.
		if names, _ := followers(w.clientX); slices.Contains(names, w.clientY.Name) {
			t.Errorf("a client reads another company's people: %v", names)
		}

		// The task page: who follows, and the button.
		page := string(w.want(w.as(w.member).Get("/"+w.acc.Slug+"/tasks/"+itoa(task)), http.StatusOK).Body)
		for _, s := range []string{"people follow this task", "Carol Boss", `/tasks/` + itoa(task) + `/follow"`, "data-mentions=", "/mentions.js\""} {
			if !strings.Contains(page, s) {
				t.Errorf("the task page lacks %q", s)
			}
		}
		b := w.e.BrowserLogin(w.member)
		r := b.SubmitForm("/"+w.acc.Slug+"/tasks/"+itoa(task), "/"+w.acc.Slug+"/tasks/"+itoa(task)+"/follow", nil)
		if r.Status != http.StatusSeeOther {
			t.Errorf("follow from the page: %d", r.Status)
		}
		if _, on := followers(w.member); !on {
			t.Errorf("Alice does not follow after the page's Follow")
		}
		// A trashed task cannot be followed.
		w.want(w.as(w.manager).Delete(w.path("/tasks/%d", task)), http.StatusNoContent)
		check(t, "follow a trashed task", w.as(w.member).Put(w.path("/tasks/%d/follow", task), nil), http.StatusNotFound)
		check(t, "followers of a trashed task", w.as(w.member).Get(w.path("/tasks/%d/followers", task)), http.StatusNotFound)
	})
}
