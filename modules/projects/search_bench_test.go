package projects_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/search"
	"groupcamp/core/testkit"
	"groupcamp/modules/projects"
)

// BenchmarkSearch measures the search (core/search) over 1,000,000 indexed documents on every
// test database (GROUPCAMP_SEARCH_BENCH_DOCS changes the count):
//
//   - indexing: 2,000 changed tasks of a real project, each its own search.stale event in the
//     outbox (a burst of edits), until the relay has delivered them and the index is up to
//     date — reported as changes/s (the projects source reads each task back);
//   - member / client: searches as a member (who finds the open documents and those of
//     their invite-only project: 80 %), and as a client (the tenth shared with their
//     company); "word": one word of middle frequency (rank 200–3,200 of 20,000), "words":
//     two words (rank 100–1,100), "prefix": the start (4+ letters) of a word as one types. Reported: ns/op (mean) and p50_ms, p95_ms over the run.
//
// The million documents are seeded straight into the index (search.Service.Put, bulk
// statements): task- and comment-like texts of 4–60 words drawn with a Zipf law from 20,000
// words, in 2,000 projects — 60 % open, 20 % invite-only with the member, 20 % invite-only
// without — a tenth shared with the client's company.
func BenchmarkSearch(b *testing.B) {
	total := 1_000_000
	if s := os.Getenv("GROUPCAMP_SEARCH_BENCH_DOCS"); s != "" {
		total, _ = strconv.Atoi(s)
	}
	for _, kind := range dbs() {
		b.Run(kind, func(b *testing.B) {
			e, svc := start(b, kind)
			acc := e.NewAccount()
			member := e.NewUser(acc, actor.RoleMember)
			co := e.ClientCompany(acc)
			client := e.NewClient(acc, co)
			ctx := context.Background()
			owner := actorFor(b, e, acc.Slug, acc.Owner)
			p, err := svc.CreateProject(ctx, owner, projects.ProjectInput{Name: "Indexing", Access: "invite", GuestsAllowed: true})
			if err != nil {
				b.Fatal(err)
			}
			for _, m := range []struct {
				id   int64
				role string
			}{{member.ID, "member"}, {client.ID, "client"}} {
				if _, err := svc.SetMember(ctx, owner, p.ID, m.id, projects.MemberInput{Role: m.role}); err != nil {
					b.Fatal(err)
				}
			}
			ids, _ := seedTasks(b, svc, owner, p.ID, 20, member.ID, acc.Owner.ID, func(l, i int) projects.TaskInput {
				return projects.TaskInput{Description: "Some **Markdown** describing the work."}
			})
			settle(b, e)

			words := vocabulary(20000)
			started := time.Now()
			seed(b, e.App.Search, acc.ID, p.ID, co, total, words)
			if err := e.App.Search.Optimize(ctx); err != nil {
				b.Fatal(err)
			}
			b.Logf("%s: seeded %d documents in %s", kind, total, time.Since(started).Round(time.Second))

			b.Run("indexing", func(b *testing.B) {
				cpu0 := processCPU()
				for b.Loop() {
					err := e.App.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
						for _, id := range ids {
							if err := search.Touch(ctx, tx, acc.ID, hooks.Ref{Kind: projects.KindTask, ID: id}); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						b.Fatal(err)
					}
					e.App.Events.Notify()
					settle(b, e)
				}
				b.ReportMetric(float64(len(ids))*float64(b.N)/b.Elapsed().Seconds(), "changes/s")
				// The machine may be shared: what the changes cost in CPU of this process (on
				// SQLite the whole work: the database is in-process) tells the rate it sustains.
				b.ReportMetric(float64(len(ids))*float64(b.N)/(processCPU()-cpu0).Seconds(), "changes/cpu_s")
			})

			rng := rand.New(rand.NewPCG(7, 7))
			shapes := map[string]func() string{
				"word":  func() string { return words[200+rng.IntN(3000)] },
				"words": func() string { return words[100+rng.IntN(1000)] + " " + words[100+rng.IntN(1000)] },
				"prefix": func() string {
					w := words[50+rng.IntN(2000)]
					return w[:max(4, len(w)-2)]
				},
			}
			for _, who := range []struct {
				name string
				a    *actor.Actor
			}{{"member", actorFor(b, e, acc.Slug, member)}, {"client", actorFor(b, e, acc.Slug, client)}} {
				for _, shape := range []string{"word", "words", "prefix"} {
					queries := make([]string, 200)
					for i := range queries {
						queries[i] = shapes[shape]()
					}
					b.Run(who.name+"/"+shape, func(b *testing.B) {
						b.ReportAllocs()
						var took, cpu []time.Duration
						i := 0
						runtime.LockOSThread() // the thread's CPU time is the query's (SQLite runs in this goroutine)
						defer runtime.UnlockOSThread()
						for b.Loop() {
							t0, c0 := time.Now(), threadCPU()
							if _, err := e.App.Search.Search(ctx, who.a, search.Query{Text: queries[i%len(queries)]}); err != nil {
								b.Fatal(err)
							}
							took, cpu = append(took, time.Since(t0)), append(cpu, threadCPU()-c0)
							i++
						}
						slices.Sort(took)
						slices.Sort(cpu)
						b.ReportMetric(ms(took[len(took)/2]), "p50_ms")
						b.ReportMetric(ms(took[len(took)*95/100]), "p95_ms")
						b.ReportMetric(ms(cpu[len(cpu)*95/100]), "p95_cpu_ms")
					})
				}
			}
		})
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// threadCPU is the CPU time of the calling OS thread; processCPU the process's.
func threadCPU() time.Duration { return rusage(1) } // RUSAGE_THREAD

func processCPU() time.Duration { return rusage(syscall.RUSAGE_SELF) }

func rusage(who int) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(who, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// dbs are the databases of the benchmark: GROUPCAMP_SEARCH_BENCH_DB narrows them.
func dbs() []string {
	all := testkit.Databases()
	if only := os.Getenv("GROUPCAMP_SEARCH_BENCH_DB"); only != "" {
		return slices.DeleteFunc(all, func(k string) bool { return k != only })
	}
	return all
}

// vocabulary makes n distinct pronounceable words (some with accents), deterministic.
func vocabulary(n int) []string {
	syl := []string{"ka", "lo", "mi", "ré", "tu", "sa", "po", "ne", "vi", "da", "gé", "ru", "shi", "bo", "fa", "lé", "no", "ta", "zu", "pe", "qua", "dri", "sto", "mel"}
	rng := rand.New(rand.NewPCG(1, 2))
	seen := map[string]bool{}
	out := make([]string, 0, n)
	for len(out) < n {
		var b strings.Builder
		for range 2 + rng.IntN(3) {
			b.WriteString(syl[rng.IntN(len(syl))])
		}
		if w := b.String(); !seen[w] {
			seen[w] = true
			out = append(out, w)
		}
	}
	return out
}

// seed writes total documents into the account's index: tasks and comments in 2,000 projects
// (ids from 1,000,000 up, apart from the real ones).
func seed(b *testing.B, svc *search.Service, accountID, projectID, companyID int64, total int, words []string) {
	rng := rand.New(rand.NewPCG(3, 4))
	zipf := rand.NewZipf(rng, 1.07, 2, uint64(len(words)-1))
	text := func(n int) string {
		var sb strings.Builder
		for i := range n {
			if i > 0 {
				sb.WriteByte(' ')
			}
			sb.WriteString(words[zipf.Uint64()])
		}
		return sb.String()
	}
	const projectsN = 2000
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	docs := make([]hooks.Document, 0, 20000)
	for i := range total {
		pid := int64(1_000_000 + i%projectsN)
		aud := []string{search.KeyStaff}
		switch pid % 5 {
		case 0: // invite-only, of the member's project
			aud = []string{search.KeyAdmins, "project:" + strconv.FormatInt(projectID, 10)}
		case 1: // invite-only, of a project the member is not in
			aud = []string{search.KeyAdmins, "project:" + strconv.FormatInt(pid, 10)}
		}
		if i%10 == 0 { // shared with the client's company
			aud = append(aud, fmt.Sprintf("project:%d:co:%d", projectID, companyID))
		}
		d := hooks.Document{AccountID: accountID, Kind: projects.KindTask, ID: int64(1_000_000 + i), ProjectID: pid,
			Title: text(4 + rng.IntN(6)), Body: text(10 + rng.IntN(50)), URL: "/tasks/" + strconv.Itoa(1_000_000+i),
			UpdatedAt: start.Add(time.Duration(i) * time.Minute), Audience: aud}
		if i%3 == 2 {
			d.Kind, d.Parent = projects.KindComment, "task:"+strconv.Itoa(1_000_000+i-1)
		}
		docs = append(docs, d)
		if len(docs) == cap(docs) || i == total-1 {
			if err := svc.Put(context.Background(), docs); err != nil {
				b.Fatal(err)
			}
			docs = docs[:0]
		}
	}
}
