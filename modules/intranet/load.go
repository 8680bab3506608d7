package intranet

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/load"
)

// What the load's seed writes.
const (
	loadNews   = 200
	loadTopics = 20
	loadWiki   = 10
	loadEvents = 100
)

// Load is the intranet's part of the load tool (cmd/gcload): a company space with loadNews
// posts, loadTopics discussions and loadWiki pages, seeded through the API as the owner. The
// scenarios are a colleague's day: the news feed (most of the traffic), opening a post and
// marking it read, the readers of a post, a wiki page, this month's events (loadEvents seeded),
// and now and then a reply.
func (m *Module) Load() load.Module {
	return load.Module{
		Name: "intranet",
		Seed: m.seedLoad,
		Scenarios: []load.Scenario{
			{Name: "intranet.feed", Endpoint: "GET /api/v1/{slug}/news?limit=50", Weight: 4, Role: actor.RoleMember, Run: func(ctx context.Context, w *load.Worker) error {
				r, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/news?limit=50")
				if err != nil {
					return err
				}
				var v api.List[News]
				if err := r.JSON(&v); err != nil {
					return err
				}
				if len(v.Items) == 0 {
					return errors.New("an empty feed")
				}
				return nil
			}},
			{Name: "intranet.read", Endpoint: "POST /api/v1/{slug}/news/{id}/read", Weight: 2, Role: actor.RoleMember, Run: func(ctx context.Context, w *load.Worker) error {
				id, err := pick(w, "intranet.news")
				if err != nil {
					return err
				}
				_, err = w.Post(ctx, fmt.Sprintf("/api/v1/%s/news/%d/read", w.Env.Slug, id), nil)
				return err
			}},
			{Name: "intranet.readers", Endpoint: "GET /api/v1/{slug}/news/{id}/readers", Weight: 1, Role: actor.RoleManager, Run: func(ctx context.Context, w *load.Worker) error {
				id, err := pick(w, "intranet.news")
				if err != nil {
					return err
				}
				_, err = w.Get(ctx, fmt.Sprintf("/api/v1/%s/news/%d/readers", w.Env.Slug, id))
				return err
			}},
			{Name: "intranet.wiki", Endpoint: "GET /api/v1/{slug}/wiki/{id}", Weight: 2, Role: actor.RoleMember, Run: func(ctx context.Context, w *load.Worker) error {
				id, err := pick(w, "intranet.wiki")
				if err != nil {
					return err
				}
				_, err = w.Get(ctx, fmt.Sprintf("/api/v1/%s/wiki/%d", w.Env.Slug, id))
				return err
			}},
			{Name: "intranet.events", Endpoint: "GET /api/v1/{slug}/events", Weight: 2, Role: actor.RoleMember, Run: func(ctx context.Context, w *load.Worker) error {
				r, err := w.Get(ctx, "/api/v1/"+w.Env.Slug+"/events")
				if err != nil {
					return err
				}
				var v EventList
				if err := r.JSON(&v); err != nil {
					return err
				}
				if len(v.Items) == 0 {
					return errors.New("an empty month")
				}
				return nil
			}},
			{Name: "intranet.reply", Endpoint: "POST /api/v1/{slug}/topics/{id}/replies", Weight: 1, Role: actor.RoleMember, Run: func(ctx context.Context, w *load.Worker) error {
				id, err := pick(w, "intranet.topics")
				if err != nil {
					return err
				}
				_, err = w.Post(ctx, fmt.Sprintf("/api/v1/%s/topics/%d/replies", w.Env.Slug, id), BodyInput{Body: w.Unique("Agreed, let's do it ")})
				return err
			}},
		},
	}
}

// pick is one of the seeded ids under key, at random.
func pick(w *load.Worker, key string) (int64, error) {
	ids, _ := w.Env.Get(key).([]int64)
	if len(ids) == 0 {
		return 0, fmt.Errorf("nothing seeded under %s", key)
	}
	return ids[w.Rand.IntN(len(ids))], nil
}

// seedLoad writes the space and its content through the API, as the account's owner.
func (m *Module) seedLoad(ctx context.Context, env *load.Env) error {
	owner, err := env.First(actor.RoleOwner)
	if err != nil {
		return err
	}
	c := env.API(owner)
	base := "/api/v1/" + env.Slug
	var sp Space
	if err := c.Do(ctx, "POST", base+"/spaces", SpaceInput{Name: "Company"}, &sp); err != nil {
		return fmt.Errorf("intranet: seed the space: %w", err)
	}
	body := strings.Repeat("The week's **news**, with a [link](https://example.com) and a list:\n\n- one\n- two\n\n", 8)
	seed := func(key string, n int, path string, in func(i int) any) error {
		ids := make([]int64, 0, n)
		for i := range n {
			var out struct {
				ID int64 `json:"id"`
			}
			if err := c.Do(ctx, "POST", base+path, in(i), &out); err != nil {
				return fmt.Errorf("intranet: seed %s: %w", path, err)
			}
			ids = append(ids, out.ID)
		}
		env.Set(key, ids)
		return nil
	}
	if err := seed("intranet.news", loadNews, "/news", func(i int) any {
		return NewsInput{SpaceID: sp.ID, Title: fmt.Sprintf("Announcement %d", i), Body: body, Pinned: i%50 == 0}
	}); err != nil {
		return err
	}
	if err := seed("intranet.topics", loadTopics, "/topics", func(i int) any {
		return TopicInput{SpaceID: sp.ID, Title: fmt.Sprintf("Discussion %d", i), Body: body}
	}); err != nil {
		return err
	}
	// The events of this month, a few a day (the scenario lists the current month).
	now := time.Now().UTC()
	month := time.Date(now.Year(), now.Month(), 1, 9, 0, 0, 0, time.UTC)
	if err := seed("intranet.events", loadEvents, "/events", func(i int) any {
		at := month.AddDate(0, 0, i%28).Add(time.Duration(i%8) * time.Hour)
		end := at.Add(time.Hour)
		return EventInput{SpaceID: sp.ID, Title: fmt.Sprintf("Meeting %d", i), Place: "Room 1", StartsAt: &at, EndsAt: &end, AllDay: i%10 == 0}
	}); err != nil {
		return err
	}
	return seed("intranet.wiki", loadWiki, "/wiki", func(i int) any {
		return WikiInput{SpaceID: sp.ID, Title: fmt.Sprintf("Handbook chapter %d", i), Body: strings.Repeat(body, 4)}
	})
}
