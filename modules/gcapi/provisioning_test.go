package gcapi_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestProvisioning drives core/v1 as a script would: a project created, found, changed, its
// members added and removed, the users and the invited organisations — and the 400s GroupCamp
// documents.
func TestProvisioning(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		w := newWorld(t, e)
		s := w.prov
		co := s.call("POST", "/core/v1/orga/invited", `{"name": "Globex", "description": "a client"}`).want(t, http.StatusOK).result(t)
		if co["type"] != "orga" || co["otype"] != "invited" || co["name"] != "Globex" {
			t.Fatalf("orga: %v", co)
		}
		coID, ok := co["id"].(string)
		if !ok {
			t.Fatalf("ids are strings: %v", co)
		}
		// Created again by name: the same one.
		if again := s.call("POST", "/core/v1/orga/invited", `{"name": "Globex"}`).want(t, http.StatusOK).result(t); again["id"] != coID {
			t.Fatalf("same name, another orga: %v", again)
		}
		// Categories: the account's list, by exact name (GroupCamp's are case-sensitive); an
		// unknown one is a bad_request on category_name, and nothing is created.
		mkt := idOf(w.api(t, "POST", "/project-categories", map[string]any{"name": "Marketing"}, http.StatusCreated))
		w.api(t, "POST", "/project-categories", map[string]any{"name": "Sales"}, http.StatusCreated)
		for _, name := range []string{"Unknown", "marketing"} {
			a := s.call("POST", "/core/v1/group/project", fmt.Sprintf(`{"name": "Uncategorised", "category_name": %q}`, name)).want(t, http.StatusBadRequest)
			if a.Body["error"] != "bad_request" || a.Body["detail"] != "error_body_data" || a.fieldError("category_name") != "not_found" {
				t.Fatalf("category %q: %s", name, a.Raw)
			}
		}
		if l := s.call("GET", "/core/v1/groups?name=Uncategorised", "").want(t, http.StatusOK).list(t); len(l) != 0 {
			t.Fatalf("a refused project was created: %v", l)
		}
		body := fmt.Sprintf(`{"name": "Website", "project_code": "WEB", "category_name": "Marketing", "tags_names": ["web"], "access": "invite",
			"with_guests": true, "subtype": "customer", "orga": %q, "leader1": "%d", "external_ref": "X-1", "managing_team": "gone in v3"}`, coID, w.acc.Owner.ID)
		g := s.call("POST", "/core/v1/group/project", body).want(t, http.StatusOK).result(t)
		gid, _ := g["id"].(string)
		if gid == "" || g["type"] != "group" || g["gtype"] != "project" || g["subtype"] != "customer" || g["orga"] != coID || g["state"] != "ok" || g["can_accept_guest"] != true {
			t.Fatalf("created: %v", g)
		}
		// 400s: duplicate name, missing name, not JSON, a bad id in the body.
		dup := s.call("POST", "/core/v1/group/project", `{"name": "Website"}`).want(t, http.StatusBadRequest)
		if dup.Body["error"] != "bad_request" || dup.fieldError("name") != "already_use" {
			t.Fatalf("duplicate name: %s", dup.Raw)
		}
		if a := s.call("POST", "/core/v1/group/project", `{"name": "Other", "project_code": "WEB"}`).want(t, http.StatusBadRequest); a.fieldError("project_code") != "already_use" {
			t.Fatalf("duplicate code: %s", a.Raw)
		}
		if a := s.call("POST", "/core/v1/group/project", `{"name": 5}`).want(t, http.StatusBadRequest); a.fieldError("name") != "invalid" {
			t.Fatalf("name of the wrong type: %s", a.Raw)
		}
		if a := s.call("POST", "/core/v1/group/project", `{"description": "no name"}`).want(t, http.StatusBadRequest); a.fieldError("name") != "mandatory" {
			t.Fatalf("no name: %s", a.Raw)
		}
		if a := s.call("POST", "/core/v1/group/project", `not json`).want(t, http.StatusBadRequest); a.Body["detail"] != "error_json" {
			t.Fatalf("not json: %s", a.Raw)
		}
		if a := s.call("POST", "/core/v1/group/project", `{"name": "X", "leader1": "abc"}`).want(t, http.StatusBadRequest); a.fieldError("leader1") != "invalid" {
			t.Fatalf("bad leader: %s", a.Raw)
		}
		if a := s.call("POST", "/core/v1/group/project", `{"name": "X", "subtype": "customer"}`).want(t, http.StatusBadRequest); a.fieldError("orga") != "mandatory" {
			t.Fatalf("customer without orga: %s", a.Raw)
		}
		if a := s.call("GET", "/core/v1/group/abc", "").want(t, http.StatusBadRequest); a.Body["detail"] != "error_id" {
			t.Fatalf("bad id: %s", a.Raw)
		}
		if a := s.call("GET", "/core/v1/groups?state=nope", "").want(t, http.StatusBadRequest); a.Body["detail"] != "get_parameter_error" {
			t.Fatalf("bad parameter: %s", a.Raw)
		}
		// Read back.
		full := s.call("GET", "/core/v1/group/"+gid, "").want(t, http.StatusOK).result(t)
		if cat := full["category"].(map[string]any); cat["id"] != mkt || cat["type"] != "gcat" || cat["name"] != "Marketing" {
			t.Fatalf("the group's category: %v", cat)
		}
		if full["project_code"] != "WEB" || full["access"] != "invited" ||
			full["orga"].(map[string]any)["id"] != coID || full["leader1"].(map[string]any)["id"] != fmt.Sprint(w.acc.Owner.ID) {
			t.Fatalf("group: %v", full)
		}
		found := s.call("GET", "/core/v1/groups?name=Website", "").want(t, http.StatusOK).list(t)
		if len(found) != 1 || found[0]["id"] != gid {
			t.Fatalf("groups by name: %v", found)
		}
		if l := s.call("GET", "/core/v1/groups?project_type=internal", "").want(t, http.StatusOK).list(t); len(l) != 0 {
			t.Fatalf("internal projects: %v", l)
		}
		if l := s.call("GET", "/core/v1/groups?category_name=Marketing&search=webs", "").want(t, http.StatusOK).list(t); len(l) != 1 {
			t.Fatalf("groups by category and search: %v", l)
		}
		if l := s.call("GET", "/core/v1/groups?category_name=Sales", "").want(t, http.StatusOK).list(t); len(l) != 0 {
			t.Fatalf("groups of another category: %v", l)
		}
		// A change names another category of the list, or none ("").
		if a := s.call("POST", "/core/v1/group/project/"+gid, `{"name": "Website", "category_name": "Nope"}`).want(t, http.StatusBadRequest); a.fieldError("category_name") != "not_found" {
			t.Fatalf("change to an unknown category: %s", a.Raw)
		}
		s.call("POST", "/core/v1/group/project/"+gid, `{"name": "Website", "category_name": "Sales"}`).want(t, http.StatusOK)
		if l := s.call("GET", "/core/v1/groups?category_name=Sales", "").want(t, http.StatusOK).list(t); len(l) != 1 || l[0]["id"] != gid {
			t.Fatalf("groups of the new category: %v", l)
		}
		s.call("POST", "/core/v1/group/project/"+gid, `{"name": "Website", "category_name": "Marketing"}`).want(t, http.StatusOK)
		// Members, by e-mail and by id.
		s.call("PUT", "/core/v1/group/"+gid+"/user/"+strings.Replace(w.member.Email, "@", "%40", 1), "").want(t, http.StatusOK)
		if l := s.call("GET", fmt.Sprintf("/core/v1/groups?user=%d", w.member.ID), "").want(t, http.StatusOK).list(t); len(l) != 1 {
			t.Fatalf("the member's groups: %v", l)
		}
		if n := s.call("GET", "/core/v1/group/"+gid, "").want(t, http.StatusOK).result(t)["nb_users"]; n != float64(2) {
			t.Fatalf("nb_users: %v", n)
		}
		s.call("DELETE", fmt.Sprintf("/core/v1/group/%s/user/%d", gid, w.member.ID), "").want(t, http.StatusOK)
		s.call("DELETE", fmt.Sprintf("/core/v1/group/%s/user/%d", gid, w.member.ID), "").want(t, http.StatusNotFound)
		s.call("PUT", "/core/v1/group/"+gid+"/user/nobody@example.invalid", "").want(t, http.StatusNotFound)
		// Changed: name mandatory, duplicate refused, unknown fields ignored.
		other := s.call("POST", "/core/v1/group/project", `{"name": "Intranet"}`).want(t, http.StatusOK).result(t)
		if a := s.call("POST", "/core/v1/group/project/"+gid, `{"name": "Intranet"}`).want(t, http.StatusBadRequest); a.fieldError("name") != "already_use" {
			t.Fatalf("rename to a taken name: %s", a.Raw)
		}
		ch := s.call("POST", "/core/v1/group/project/"+gid, `{"name": "Website v2", "management_team": "none", "subtype": "internal"}`).want(t, http.StatusOK).result(t)
		if ch["name"] != "Website v2" || ch["subtype"] != "internal" {
			t.Fatalf("changed: %v", ch)
		}
		// Users, teams, organisations.
		users := s.call("GET", "/core/v1/users", "").want(t, http.StatusOK).list(t)
		if len(users) != 2 || users[0]["type"] != "user" {
			t.Fatalf("users: %v", users)
		}
		if l := s.call("GET", "/core/v1/users?is_leader=project", "").want(t, http.StatusOK).list(t); len(l) != 1 || l[0]["id"] != fmt.Sprint(w.acc.Owner.ID) {
			t.Fatalf("leaders: %v", l)
		}
		if l := s.call("GET", "/core/v1/users?user_type=guest", "").want(t, http.StatusOK).list(t); len(l) != 0 {
			t.Fatalf("guests: %v", l)
		}
		s.call("GET", fmt.Sprintf("/core/v1/user/%d/teams", w.member.ID), "").want(t, http.StatusOK).list(t)
		orgas := s.call("GET", "/core/v1/orgas/invited", "").want(t, http.StatusOK).list(t)
		if len(orgas) != 1 || orgas[0]["id"] != coID {
			t.Fatalf("invited orgas: %v", orgas)
		}
		if o := s.call("POST", "/core/v1/orga/invited/"+coID, `{"name": "Globex SA"}`).want(t, http.StatusOK).result(t); o["name"] != "Globex SA" {
			t.Fatalf("renamed orga: %v", o)
		}
		if o := s.call("GET", "/core/v1/orga/"+coID, "").want(t, http.StatusOK).result(t); o["name"] != "Globex SA" || o["creation_date"] == "" {
			t.Fatalf("orga: %v", o)
		}
		// Another account's ids are 404 here.
		x := newWorld(t, e)
		for _, p := range []string{"/core/v1/group/" + gid, "/core/v1/orga/" + coID} {
			x.prov.call("GET", p, "").want(t, http.StatusNotFound)
		}
		x.prov.call("POST", "/core/v1/group/project/"+idOf(other), `{"name": "Stolen"}`).want(t, http.StatusNotFound)
		x.prov.call("PUT", "/core/v1/group/"+gid+"/user/"+x.acc.Owner.Email, "").want(t, http.StatusNotFound)
		// The acting person is who the history names: the module's own entry and the
		// projects module's.
		asMember := *s
		asMember.acting = w.member.Email
		mine := asMember.call("POST", "/core/v1/group/project", `{"name": "By the member"}`).want(t, http.StatusOK).result(t)["id"].(string)
		asMember.call("PUT", "/core/v1/group/"+mine+"/user/"+w.acc.Owner.Email, "").want(t, http.StatusOK)
		for _, action := range []string{"gcapi.write", "project.member.added"} {
			var events struct {
				Items []struct {
					ActorID *int64 `json:"actor_id"`
					Target  string `json:"target"`
				} `json:"items"`
			}
			res := e.As(w.acc.Owner).Get("/api/v1/" + w.acc.Slug + "/audit?action=" + action)
			res.JSON(t, &events)
			if res.Status != http.StatusOK || len(events.Items) == 0 || events.Items[0].ActorID == nil || *events.Items[0].ActorID != w.member.ID {
				t.Fatalf("audit of %s: %d %s", action, res.Status, res.Body)
			}
		}
	})
}
