package intranet

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"strings"

	"groupcamp/core/app"
)

// fixtures are the module's part of the test walkers (app.Fixtures): a company space with one
// news post, one discussion and one wiki page. Saving a wiki page needs its current revision,
// so Prepare gives each save (and restore) a fresh page at revision 1. What only its author
// and the managers change (a topic, a comment, a reply) is written by the walker's member, the
// least role that writes, so that every role allowed to edit or delete it may; each deletion
// gets a scratch one.
type fixtures struct{}

func (fixtures) Seed(c app.FixtureClient) (app.Params, error) {
	base := "/api/v1/" + c.Slug()
	space, err := app.Created(c, "POST", base+"/spaces", map[string]any{"name": "Company"})
	if err != nil {
		return nil, err
	}
	sp := map[string]any{"space_id": atoi(space)}
	news, err := app.Created(c, "POST", base+"/news", merge(sp, map[string]any{"title": "Welcome", "body": "Hello **all**"}))
	if err != nil {
		return nil, err
	}
	topic, err := app.Created(c, "POST", base+"/topics", merge(sp, map[string]any{"title": "Lunch", "body": "Where?"}))
	if err != nil {
		return nil, err
	}
	page, err := app.Created(c, "POST", base+"/wiki", merge(sp, map[string]any{"title": "Handbook", "body": "Read me"}))
	if err != nil {
		return nil, err
	}
	team, event, err := seedEvents(c)
	if err != nil {
		return nil, err
	}
	comment, err := app.Created(asMember(c), "POST", base+"/news/"+news+"/comments", map[string]any{"body": "Welcome!"})
	if err != nil {
		return nil, err
	}
	reply, err := app.Created(asMember(c), "POST", base+"/topics/"+topic+"/replies", map[string]any{"body": "Downstairs"})
	if err != nil {
		return nil, err
	}
	pp, err := seedProject(c)
	if err != nil {
		return nil, err
	}
	// The member's directory profile, with a photo (the photo and vCard routes answer 200).
	if status, body := c.DoAs("member", "PATCH", base+"/directory/me", map[string]any{"title": "Engineer", "skills": []string{"go", "sql"}, "photo": SamplePhoto()}); status != 200 {
		return nil, fmt.Errorf("directory profile: %d %s", status, body)
	}
	return app.Params{"projects/:id": pp["project"], "topics/:item": pp["topic"], "discussions/:item": pp["topic"], "wiki/:item": pp["page"], "spaces/:id": space, "news/:id": news, "topics/:id": topic, "wiki/:id": page, "revisions/:n": "1", "space": space,
		"people/:id": fmt.Sprint(c.User("member")), "directory/:id": fmt.Sprint(c.User("member")), "events/:id": event, "team_space": team, ":comment_id": comment, ":reply_id": reply}, nil
}

// seedProject makes a project that allows guests with the walker's client as a client member,
// its space shared with clients, one discussion and one wiki page in it.
func seedProject(c app.FixtureClient) (map[string]string, error) {
	base := "/api/v1/" + c.Slug()
	project, err := app.Created(c, "POST", base+"/projects", map[string]any{"name": "Intranet project", "guests_allowed": true})
	if err != nil {
		return nil, err
	}
	pbase := base + "/projects/" + project
	if st, body := c.Do("PUT", fmt.Sprintf("%s/members/%d", pbase, c.User("client")), map[string]any{"role": "client"}); st != 200 {
		return nil, fmt.Errorf("the client joins the project: %d %s", st, body)
	}
	if st, body := c.Do("PUT", pbase+"/space", map[string]any{"shared_with_clients": true}); st != 200 {
		return nil, fmt.Errorf("sharing the project's space: %d %s", st, body)
	}
	topic, err := app.Created(c, "POST", pbase+"/topics", map[string]any{"title": "Kick-off", "body": "When?"})
	if err != nil {
		return nil, err
	}
	page, err := app.Created(c, "POST", pbase+"/wiki", map[string]any{"title": "Brief", "body": "The brief"})
	if err != nil {
		return nil, err
	}
	return map[string]string{"project": project, "topic": topic, "page": page}, nil
}

// seedEvents makes a team space of the walker's member and manager (so that every role that
// writes may add its events: the company's calendar takes managers and up) with one event.
func seedEvents(c app.FixtureClient) (string, string, error) {
	base := "/api/v1/" + c.Slug()
	team, err := app.Created(c, "POST", base+"/teams", map[string]any{"name": "Walkers"})
	if err != nil {
		return "", "", err
	}
	for _, role := range []string{"member", "manager"} {
		if st, body := c.Do("PUT", fmt.Sprintf("%s/teams/%s/members/%d", base, team, c.User(role)), nil); st >= 300 {
			return "", "", fmt.Errorf("team member %s: %d %s", role, st, body)
		}
	}
	space, err := app.Created(c, "POST", base+"/spaces", map[string]any{"name": "Walkers", "team_id": atoi(team)})
	if err != nil {
		return "", "", err
	}
	event, err := app.Created(c, "POST", base+"/events", map[string]any{"space_id": atoi(space), "title": "Kick-off", "starts_at": "2026-12-18T09:00:00Z", "ends_at": "2026-12-18T10:00:00Z"})
	return space, event, err
}

// scratchEvent is an event of the team space by the walker's member (the least role that may
// change it), for an edit or a deletion.
func scratchEvent(c app.FixtureClient, p app.Params, filled string) (string, error) {
	id, err := app.Created(asMember(c), "POST", "/api/v1/"+c.Slug()+"/events", map[string]any{"space_id": atoi(p["team_space"]), "title": fmt.Sprintf("Scratch %d", c.N()),
		"starts_at": "2026-12-18T09:00:00Z", "ends_at": "2026-12-18T10:00:00Z"})
	return strings.Replace(filled, "/events/"+p["events/:id"], "/events/"+id, 1), err
}

func (fixtures) Body(method, path string, p app.Params, n int) (any, bool) {
	sp := atoi(p["space"])
	switch method + " " + path {
	case "POST /api/v1/:slug/spaces":
		return map[string]any{"name": fmt.Sprintf("Space %d", n)}, true
	case "PATCH /api/v1/:slug/directory/me", "PATCH /api/v1/:slug/directory/:id":
		return map[string]any{"title": fmt.Sprintf("Title %d", n), "skills": []string{"go", fmt.Sprintf("skill %d", n)}}, true
	case "POST /:slug/intranet/profile", "POST /:slug/intranet/people/:id/edit":
		return map[string]any{"title": fmt.Sprintf("Title %d", n), "skills": fmt.Sprintf("go, skill %d", n)}, true
	case "POST /:slug/intranet/spaces":
		return map[string]any{"name": fmt.Sprintf("Space %d", n)}, true
	case "POST /api/v1/:slug/events":
		return map[string]any{"space_id": atoi(p["team_space"]), "title": fmt.Sprintf("Event %d", n), "starts_at": "2026-12-18T09:00:00Z", "ends_at": "2026-12-18T10:00:00Z"}, true
	case "POST /:slug/intranet/calendar/events":
		return map[string]any{"space_id": p["team_space"], "title": fmt.Sprintf("Event %d", n), "starts_at": "2026-12-18T09:00", "ends_at": "2026-12-18T10:00"}, true
	case "PUT /api/v1/:slug/events/:id":
		return map[string]any{"space_id": atoi(p["team_space"]), "title": fmt.Sprintf("Event %d", n), "starts_at": "2026-12-18T09:00:00Z", "ends_at": "2026-12-18T10:00:00Z", "recurrence": "weekly", "recur_count": 3}, true
	case "POST /:slug/intranet/events/:id/edit":
		return map[string]any{"space_id": p["team_space"], "title": fmt.Sprintf("Event %d", n), "starts_at": "2026-12-18T09:00", "ends_at": "2026-12-18T10:00", "recurrence": "monthly", "recur_until": "2027-03-31"}, true
	case "DELETE /api/v1/:slug/events/:id", "POST /:slug/intranet/events/:id/delete":
		return nil, true
	case "POST /api/v1/:slug/news":
		return map[string]any{"space_id": sp, "title": fmt.Sprintf("News %d", n), "body": "Text"}, true
	case "POST /api/v1/:slug/topics":
		return map[string]any{"space_id": sp, "title": fmt.Sprintf("Topic %d", n), "body": "Text"}, true
	case "POST /api/v1/:slug/wiki":
		return map[string]any{"space_id": sp, "title": fmt.Sprintf("Page %d", n), "body": "Text"}, true
	case "PUT /api/v1/:slug/projects/:id/space", "POST /:slug/projects/:id/space":
		return map[string]any{"shared_with_clients": true}, true // the walk's client keeps seeing it
	case "POST /api/v1/:slug/projects/:id/topics", "POST /:slug/projects/:id/discussions", "POST /api/v1/:slug/projects/:id/wiki", "POST /:slug/projects/:id/wiki":
		return map[string]any{"title": fmt.Sprintf("Title %d", n), "body": "Text"}, true
	case "POST /api/v1/:slug/projects/:id/topics/:item/replies", "POST /:slug/projects/:id/discussions/:item/replies":
		return map[string]any{"body": fmt.Sprintf("Reply %d", n)}, true
	case "POST /:slug/projects/:id/wiki/:item":
		return map[string]any{"title": fmt.Sprintf("Page %d", n), "body": fmt.Sprintf("Text %d", n), "base_revision": 1}, true
	case "PUT /api/v1/:slug/wiki/:id", "POST /:slug/intranet/wiki/:id":
		return map[string]any{"title": fmt.Sprintf("Page %d", n), "body": fmt.Sprintf("Text %d", n), "base_revision": 1}, true
	case "POST /:slug/intranet/spaces/:id/news", "POST /:slug/intranet/spaces/:id/topics", "POST /:slug/intranet/spaces/:id/wiki":
		return map[string]any{"title": fmt.Sprintf("Title %d", n), "body": "Text"}, true
	case "POST /api/v1/:slug/news/:id/comments", "POST /api/v1/:slug/topics/:id/replies", "POST /:slug/intranet/news/:id/comments",
		"POST /:slug/intranet/topics/:id/replies":
		return map[string]any{"body": fmt.Sprintf("Reply %d", n)}, true
	case "POST /api/v1/:slug/news/:id/read", "POST /:slug/intranet/news/:id/read", "POST /api/v1/:slug/wiki/:id/revisions/:n/restore",
		"POST /:slug/intranet/wiki/:id/revisions/:n/restore", "DELETE /api/v1/:slug/news/:id", "DELETE /api/v1/:slug/topics/:id",
		"DELETE /api/v1/:slug/news/:id/comments/:comment_id", "DELETE /api/v1/:slug/topics/:id/replies/:reply_id",
		"POST /:slug/intranet/news/:id/delete", "POST /:slug/intranet/topics/:id/delete", "POST /:slug/intranet/news/:id/comments/:comment_id/delete",
		"POST /:slug/intranet/topics/:id/replies/:reply_id/delete", "POST /api/v1/:slug/topics/:id/subscribe", "POST /api/v1/:slug/topics/:id/unsubscribe",
		"POST /:slug/intranet/topics/:id/subscribe", "POST /:slug/intranet/topics/:id/unsubscribe":
		return nil, true
	case "PUT /api/v1/:slug/news/:id", "PUT /api/v1/:slug/topics/:id", "POST /:slug/intranet/news/:id/edit", "POST /:slug/intranet/topics/:id/edit":
		return map[string]any{"title": fmt.Sprintf("Edited %d", n), "body": "Edited text"}, true
	case "PUT /api/v1/:slug/news/:id/comments/:comment_id", "PUT /api/v1/:slug/topics/:id/replies/:reply_id",
		"POST /:slug/intranet/news/:id/comments/:comment_id/edit", "POST /:slug/intranet/topics/:id/replies/:reply_id/edit":
		return map[string]any{"body": fmt.Sprintf("Edited %d", n)}, true
	case "POST /api/v1/:slug/news/:id/reactions", "POST /api/v1/:slug/news/:id/comments/:comment_id/reactions", "POST /api/v1/:slug/topics/:id/reactions",
		"POST /api/v1/:slug/topics/:id/replies/:reply_id/reactions", "POST /:slug/intranet/news/:id/react", "POST /:slug/intranet/news/:id/comments/:comment_id/react",
		"POST /:slug/intranet/topics/:id/react", "POST /:slug/intranet/topics/:id/replies/:reply_id/react":
		return map[string]any{"emoji": "👍"}, true
	}
	return nil, false
}

// Prepare gives saving and restoring a fresh page at revision 1 (the fixture's page has moved
// on), and each deletion and topic edit a scratch post, topic, comment or reply.
func (fixtures) Prepare(c app.FixtureClient, method, path, filled string, p app.Params) (string, error) {
	base := "/api/v1/" + c.Slug()
	switch method + " " + path {
	case "PUT /api/v1/:slug/events/:id", "POST /:slug/intranet/events/:id/edit", "DELETE /api/v1/:slug/events/:id", "POST /:slug/intranet/events/:id/delete":
		return scratchEvent(c, p, filled)
	case "DELETE /api/v1/:slug/news/:id", "POST /:slug/intranet/news/:id/delete":
		id, err := app.Created(c, "POST", base+"/news", map[string]any{"space_id": atoi(p["space"]), "title": fmt.Sprintf("Scratch %d", c.N()), "body": "Scratch"})
		return strings.Replace(filled, "/news/"+p["news/:id"], "/news/"+id, 1), err
	case "DELETE /api/v1/:slug/topics/:id", "POST /:slug/intranet/topics/:id/delete", "PUT /api/v1/:slug/topics/:id", "POST /:slug/intranet/topics/:id/edit":
		id, err := app.Created(asMember(c), "POST", base+"/topics", map[string]any{"space_id": atoi(p["space"]), "title": fmt.Sprintf("Scratch %d", c.N()), "body": "Scratch"})
		return strings.Replace(filled, "/topics/"+p["topics/:id"], "/topics/"+id, 1), err
	case "DELETE /api/v1/:slug/news/:id/comments/:comment_id", "POST /:slug/intranet/news/:id/comments/:comment_id/delete":
		id, err := app.Created(asMember(c), "POST", base+"/news/"+p["news/:id"]+"/comments", map[string]any{"body": "Scratch"})
		return strings.Replace(filled, "/comments/"+p[":comment_id"], "/comments/"+id, 1), err
	case "DELETE /api/v1/:slug/topics/:id/replies/:reply_id", "POST /:slug/intranet/topics/:id/replies/:reply_id/delete":
		id, err := app.Created(asMember(c), "POST", base+"/topics/"+p["topics/:id"]+"/replies", map[string]any{"body": "Scratch"})
		return strings.Replace(filled, "/replies/"+p[":reply_id"], "/replies/"+id, 1), err
	}
	if method+" "+path == "POST /:slug/projects/:id/wiki/:item" {
		id, err := app.Created(c, "POST", base+"/projects/"+p["projects/:id"]+"/wiki", map[string]any{"title": fmt.Sprintf("Scratch %d", c.N()), "body": "Scratch"})
		return strings.Replace(filled, "/wiki/"+p["wiki/:item"], "/wiki/"+id, 1), err
	}
	switch method + " " + path {
	case "PUT /api/v1/:slug/wiki/:id", "POST /:slug/intranet/wiki/:id", "POST /api/v1/:slug/wiki/:id/revisions/:n/restore",
		"POST /:slug/intranet/wiki/:id/revisions/:n/restore":
	default:
		return filled, nil
	}
	id, err := app.Created(c, "POST", "/api/v1/"+c.Slug()+"/wiki", map[string]any{"space_id": atoi(p["space"]), "title": fmt.Sprintf("Scratch %d", c.N()), "body": "Scratch"})
	if err != nil {
		return "", err
	}
	return strings.Replace(filled, "/wiki/"+p["wiki/:id"], "/wiki/"+id, 1), nil
}

// memberClient is a fixture client that writes as the walker's member.
type memberClient struct{ app.FixtureClient }

func (c memberClient) Do(method, path string, body any) (int, []byte) {
	return c.DoAs("member", method, path, body)
}

func asMember(c app.FixtureClient) app.FixtureClient { return memberClient{c} }

// SamplePhoto is a data URL of a small PNG (4x3 pixels, a gradient): the fixtures' and tests'
// photo.
func SamplePhoto() string {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	for x := 0; x < 4; x++ {
		for y := 0; y < 3; y++ {
			img.Set(x, y, color.RGBA{uint8(60 * x), uint8(80 * y), 200, 255})
		}
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())
}

func atoi(s string) int64 {
	var n int64
	fmt.Sscan(s, &n)
	return n
}

func merge(a, b map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out
}
