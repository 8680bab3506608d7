package intranet_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/modules/intranet"
)

// Sizes of the benchmark's account: a company of benchPeople colleagues in benchTeams teams,
// one space per team plus the company's, benchNews posts (each read by about half of its
// space), and a wiki page with benchRevisions revisions of a 6 KB text.
const (
	benchPeople    = 60
	benchTeams     = 5
	benchNews      = 3000
	benchRevisions = 500
	benchEvents    = 1500 // over three months round the current one
)

// BenchmarkIntranet measures, on every test database, as a member of the seeded account:
//
//   - feed: the news feed API (a page of 50 with read state, author and space of each);
//   - home: the intranet's home page (pinned, feed, unread count, recent topics, spaces);
//   - readers: a post's read receipts (the space's people and who read it);
//   - diff: the word diff between revisions 1 and 500 of a wiki page;
//   - calendar: the calendar's month page (about 500 events of the month over the spaces,
//     with the person's entries of the other modules' calendar sources).
func BenchmarkIntranet(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			acc := e.NewAccount()
			people := []*testkit.User{acc.Owner}
			for range benchPeople - 1 {
				people = append(people, e.NewUser(acc, actor.RoleMember))
			}
			me := people[1]
			base := "/api/v1/" + acc.Slug
			owner := e.As(acc.Owner)
			spaces := []int64{idOf(created(b, owner, base+"/spaces", map[string]any{"name": "Company"}))}
			for i := range benchTeams {
				var members []*testkit.User
				for j := i; j < len(people); j += benchTeams {
					members = append(members, people[j])
				}
				tid := team(b, e, acc, fmt.Sprintf("Team %d", i), members...)
				spaces = append(spaces, idOf(created(b, owner, base+"/spaces", map[string]any{"name": fmt.Sprintf("Team %d", i), "team_id": tid})))
			}
			seedNews(b, e, acc, spaces, people)
			wiki := seedWiki(b, e, acc, spaces[0], me)
			seedEvents(b, e, acc, spaces, people)
			e.Settle()
			c := e.As(me)
			b.Run("feed", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := c.Get(base + "/news?limit=50"); r.Status != http.StatusOK || !strings.Contains(r.String(), `"next_cursor":"`) {
						b.Fatalf("feed: %d %s", r.Status, r.Body)
					}
				}
			})
			page := e.BrowserLogin(me)
			b.Run("home", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := page.Get("/" + acc.Slug + "/intranet"); r.Status != http.StatusOK {
						b.Fatalf("home: %d", r.Status)
					}
				}
			})
			b.Run("readers", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := c.Get(fmt.Sprintf("%s/news/%d/readers", base, 1+len(spaces))); r.Status != http.StatusOK {
						b.Fatalf("readers: %d %s", r.Status, r.Body)
					}
				}
			})
			b.Run("diff", func(b *testing.B) {
				b.ReportAllocs()
				path := fmt.Sprintf("%s/wiki/%d/diff?from=1&to=%d", base, wiki, benchRevisions)
				for b.Loop() {
					if r := c.Get(path); r.Status != http.StatusOK {
						b.Fatalf("diff: %d %s", r.Status, r.Body)
					}
				}
			})
			b.Run("calendar", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := page.Get("/" + acc.Slug + "/intranet/calendar"); r.Status != http.StatusOK || !strings.Contains(r.String(), "Event 1") {
						b.Fatalf("calendar: %d", r.Status)
					}
				}
			})
		})
	}
}

// seedEvents writes benchEvents events round the spaces over last month, this one and the
// next, a few per day, some all-day.
func seedEvents(b testing.TB, e *testkit.Env, acc *testkit.Account, spaces []int64, people []*testkit.User) {
	now := time.Now().UTC()
	first := time.Date(now.Year(), now.Month()-1, 1, 8, 0, 0, 0, time.UTC)
	rows := make([]intranet.Event, benchEvents)
	for i := range rows {
		by := people[i%len(people)].ID
		at := first.AddDate(0, 0, (i*90)/benchEvents).Add(time.Duration(i%9) * time.Hour)
		rows[i] = intranet.Event{AccountID: acc.ID, SpaceID: spaces[i%len(spaces)], Title: fmt.Sprintf("Event %d", i), Place: "Room 2",
			StartsAt: at, EndsAt: at.Add(time.Hour), AllDay: i%12 == 0, CreatedBy: &by, CreatedAt: now, UpdatedAt: now}
		if rows[i].AllDay {
			rows[i].StartsAt = time.Date(at.Year(), at.Month(), at.Day(), 0, 0, 0, 0, time.UTC)
			rows[i].EndsAt = rows[i].StartsAt
		}
	}
	if _, err := e.App.DB.NewInsert().Model(&rows).Exec(context.Background()); err != nil {
		b.Fatal(err)
	}
}

// seedNews writes benchNews posts round the spaces, with their read receipts, in batches.
func seedNews(b testing.TB, e *testkit.Env, acc *testkit.Account, spaces []int64, people []*testkit.User) {
	ctx := context.Background()
	start := time.Now().UTC().Add(-benchNews * time.Hour)
	for lo := 0; lo < benchNews; lo += 500 {
		var rows []intranet.News
		for i := lo; i < min(lo+500, benchNews); i++ {
			by := people[i%len(people)].ID
			at := start.Add(time.Duration(i) * time.Hour)
			rows = append(rows, intranet.News{AccountID: acc.ID, SpaceID: spaces[i%len(spaces)], Title: fmt.Sprintf("Announcement %d: the quarterly update", i),
				Body: strings.Repeat("Some **news** of the week, with a [link](https://example.com). ", 20), Pinned: i%500 == 0, Indexed: true,
				PublishAt: at, AuthorID: &by, CreatedAt: at, UpdatedAt: at})
		}
		if _, err := e.App.DB.NewInsert().Model(&rows).Exec(ctx); err != nil {
			b.Fatal(err)
		}
		type read struct {
			AccountID int64     `bun:"account_id"`
			NewsID    int64     `bun:"news_id"`
			UserID    int64     `bun:"user_id"`
			ReadAt    time.Time `bun:"read_at"`
		}
		var reads []read
		for _, n := range rows {
			for j, p := range people {
				if (j+int(n.ID))%2 == 0 {
					reads = append(reads, read{acc.ID, n.ID, p.ID, n.PublishAt})
				}
			}
		}
		for k := 0; k < len(reads); k += 2000 {
			part := reads[k:min(k+2000, len(reads))]
			if _, err := e.App.DB.NewInsert().Model(&part).ModelTableExpr("intranet_news_reads").Exec(ctx); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// seedWiki writes a page and benchRevisions revisions of it through the API (the way they are
// made): 60 paragraphs of about 100 characters (6 KB); each revision changes one word of one
// paragraph, so revisions 1 and 500 differ in 500 words spread over every paragraph.
func seedWiki(b *testing.B, e *testkit.Env, acc *testkit.Account, space int64, u *testkit.User) int64 {
	const paragraphs = 60
	text := func(rev int) string {
		var sb strings.Builder
		for p := range paragraphs {
			words := strings.Fields(fmt.Sprintf("Rule %d: the team writes the handbook together and every paragraph explains one rule.", p))
			for k := 1; k < rev; k++ {
				if k%paragraphs == p {
					words[(k/paragraphs)%len(words)] = fmt.Sprintf("edit%d", k)
				}
			}
			sb.WriteString(strings.Join(words, " ") + "\n\n")
		}
		return sb.String()
	}
	c := e.As(u)
	base := "/api/v1/" + acc.Slug + "/wiki"
	id := idOf(created(b, c, base, map[string]any{"space_id": space, "title": "Handbook", "body": text(0)}))
	for rev := 2; rev <= benchRevisions; rev++ {
		if r := c.Put(fmt.Sprintf("%s/%d", base, id), map[string]any{"title": "Handbook", "body": text(rev), "base_revision": rev - 1}); r.Status != http.StatusOK {
			b.Fatalf("revision %d: %d %s", rev, r.Status, r.Body)
		}
	}
	return id
}

// BenchmarkTopic measures a discussion of 200 replies by 20 people, each reply with three
// reactions: the topic's page (replies, their reactions and edit rights, one query each) and
// the API's page of 200 replies.
func BenchmarkTopic(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			acc := e.NewAccount()
			people := []*testkit.User{acc.Owner}
			for range 19 {
				people = append(people, e.NewUser(acc, actor.RoleMember))
			}
			base := "/api/v1/" + acc.Slug
			space := idOf(created(b, e.As(acc.Owner), base+"/spaces", map[string]any{"name": "Company"}))
			topic := idOf(created(b, e.As(people[1]), base+"/topics", map[string]any{"space_id": space, "title": "Long", "body": "Let us talk"}))
			for i := range 200 {
				r := idOf(created(b, e.As(people[i%20]), fmt.Sprintf("%s/topics/%d/replies", base, topic), map[string]any{"body": fmt.Sprintf("Reply %d with **some** text", i)}))
				for k := 1; k <= 3; k++ {
					e.As(people[(i+k)%20]).Post(fmt.Sprintf("%s/topics/%d/replies/%d/reactions", base, topic, r), map[string]any{"emoji": intranet.Emojis[k]})
				}
			}
			e.Settle()
			page := e.BrowserLogin(people[2])
			path := fmt.Sprintf("/%s/intranet/topics/%d", acc.Slug, topic)
			b.Run("page", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := page.Get(path); r.Status != 200 {
						b.Fatalf("topic page: %d", r.Status)
					}
				}
			})
			c := e.As(people[2])
			b.Run("replies", func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if r := c.Get(fmt.Sprintf("%s/topics/%d/replies?limit=200", base, topic)); r.Status != 200 {
						b.Fatalf("replies: %d", r.Status)
					}
				}
			})
		})
	}
}

// benchColleagues is the directory benchmark's account size; each has a profile with three of
// benchSkills skills, a title, a manager, and (one in seven) a birthday shown.
const (
	benchColleagues = 400
	benchSkills     = 40
)

// BenchmarkDirectory measures, on every test database, as a member of an account of
// benchColleagues colleagues with profiles:
//
//   - list: a page of 50 of the directory API (teams, skills, manager of each);
//   - skill: the directory filtered by a skill;
//   - search: the directory searched by a part of a title or skill;
//   - page: the directory's page (100 rows, the skill filter, "this week");
//   - person: a person's page (card, manager, reports).
func BenchmarkDirectory(b *testing.B) {
	for _, kind := range testkit.Databases() {
		b.Run(kind, func(b *testing.B) {
			e := testkit.Start(b, kind, options())
			acc := e.NewAccount()
			people := []*testkit.User{acc.Owner}
			for range benchColleagues - 1 {
				people = append(people, e.NewUser(acc, actor.RoleMember))
			}
			ctx := context.Background()
			now := time.Now().UTC()
			var profiles []intranet.Profile
			var skills []intranet.Skill
			for i, p := range people {
				pr := intranet.Profile{AccountID: acc.ID, UserID: p.ID, Title: fmt.Sprintf("Engineer level %d", i%5), Location: "Lyon", UpdatedAt: now}
				if i > 0 {
					m := people[(i-1)/10].ID // a tree: ten reports each
					pr.ManagerID = &m
				}
				if i%7 == 0 {
					d := now.AddDate(0, 0, i%7)
					pr.BirthMonth, pr.BirthDay, pr.ShowBirthday = int(d.Month()), d.Day(), true
				}
				profiles = append(profiles, pr)
				for k := range 3 {
					skills = append(skills, intranet.Skill{AccountID: acc.ID, UserID: p.ID, Skill: fmt.Sprintf("skill %d", (i+k*7)%benchSkills)})
				}
			}
			if _, err := e.App.DB.NewInsert().Model(&profiles).Exec(ctx); err != nil {
				b.Fatal(err)
			}
			if _, err := e.App.DB.NewInsert().Model(&skills).Exec(ctx); err != nil {
				b.Fatal(err)
			}
			me := people[1]
			base := "/api/v1/" + acc.Slug
			c := e.As(me)
			page := e.BrowserLogin(me)
			for _, bc := range []struct {
				name string
				get  func() *testkit.Response
			}{
				{"list", func() *testkit.Response { return c.Get(base + "/directory?limit=50") }},
				{"skill", func() *testkit.Response { return c.Get(base + "/directory?skill=skill%207") }},
				{"search", func() *testkit.Response { return c.Get(base + "/directory?q=level%203") }},
				{"page", func() *testkit.Response { return page.Get("/" + acc.Slug + "/intranet/people") }},
				{"person", func() *testkit.Response {
					return page.Get(fmt.Sprintf("/%s/intranet/people/%d", acc.Slug, people[2].ID))
				}},
			} {
				b.Run(bc.name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						if r := bc.get(); r.Status != http.StatusOK {
							b.Fatalf("%s: %d %s", bc.name, r.Status, r.Body)
						}
					}
				})
			}
		})
	}
}
