package intranet_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html/template"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/walk"
	"groupcamp/modules/intranet"
)

// htmlName is a name as html/template writes it in text.
func htmlName(s string) string { return template.HTMLEscapeString(s) }

// profileOut is what the tests read of a person of the directory.
type profileOut struct {
	UserID          int64    `json:"user_id"`
	Title           string   `json:"title"`
	Phone           string   `json:"phone"`
	Location        string   `json:"location"`
	TimeZone        string   `json:"time_zone"`
	Skills          []string `json:"skills"`
	Teams           []string `json:"teams"`
	ManagerID       *int64   `json:"manager_id"`
	ManagerName     string   `json:"manager_name"`
	PhotoURL        string   `json:"photo_url"`
	Birthday        string   `json:"birthday"`
	StartedOn       string   `json:"started_on"`
	ShowBirthday    bool     `json:"show_birthday"`
	ShowAnniversary bool     `json:"show_anniversary"`
}

// wantFields checks a 422 naming exactly these fields.
func wantFields(t *testing.T, r *testkit.Response, fields ...string) {
	t.Helper()
	if r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("want 422 on %v, got %d %s", fields, r.Status, r.Body)
	}
	got := r.FieldErrors()
	for _, f := range fields {
		if got[f] == "" {
			t.Errorf("no message for %s: %v", f, got)
		}
	}
	if len(got) != len(fields) {
		t.Errorf("fields %v, want %v", got, fields)
	}
}

// bigPNG is a w x h PNG as a data URL.
func bigPNG(w, h int) string {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for x := 0; x < w; x++ {
		img.Set(x, h/2, color.RGBA{200, 10, 10, 255})
	}
	var b bytes.Buffer
	png.Encode(&b, img)
	return "data:image/png;base64," + base64.StdEncoding.EncodeToString(b.Bytes())
}

// TestDirectoryProfiles: a person edits their own profile (title, phone, location, time zone,
// normalised skills, a photo made a 256-pixel square JPEG); bad input is a 422 per field that
// writes nothing; a manager is a colleague and never closes a cycle; administrators edit
// anyone's but the birthday; the directory filters by skill and team and searches titles and
// skills; clients and other accounts see none of it.
func TestDirectoryProfiles(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		ann := e.NewUser(acc, actor.RoleMember)
		bob := e.NewUser(acc, actor.RoleManager)
		admin := e.NewUser(acc, actor.RoleAdmin)
		client := e.NewClient(acc, e.ClientCompany(acc))
		stranger := e.NewUser(e.NewAccount(), actor.RoleMember)
		tid := team(t, e, acc, "Design", ann)
		base := "/api/v1/" + acc.Slug
		me := base + "/directory/me"

		var p profileOut
		r := e.As(ann).Patch(me, map[string]any{"title": " Lead designer ", "phone": "+33 (1) 23-45-67", "location": "Lyon office", "time_zone": "Europe/Paris",
			"skills": []string{" Figma ", "FIGMA", "User   Research", "c++"}, "photo": bigPNG(300, 200)})
		if r.Status != http.StatusOK {
			t.Fatalf("patch me: %d %s", r.Status, r.Body)
		}
		r.JSON(t, &p)
		if p.Title != "Lead designer" || p.Phone != "+33 (1) 23-45-67" || p.Location != "Lyon office" || p.TimeZone != "Europe/Paris" ||
			strings.Join(p.Skills, "|") != "c++|figma|user research" || p.PhotoURL == "" || len(p.Teams) != 1 {
			t.Fatalf("profile: %+v", p)
		}
		// The photo: a square JPEG of 256 pixels, to colleagues only.
		ph := e.As(bob).Get(p.PhotoURL)
		if ph.Status != http.StatusOK || ph.Header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("photo: %d %s", ph.Status, ph.Header.Get("Content-Type"))
		}
		if img, err := jpeg.Decode(bytes.NewReader(ph.Body)); err != nil || img.Bounds().Dx() != intranet.PhotoSize || img.Bounds().Dy() != intranet.PhotoSize {
			t.Fatalf("the photo is not a %d square JPEG: %v", intranet.PhotoSize, err)
		}
		if r := e.As(bob).Get(fmt.Sprintf("%s/directory/%d/photo", base, bob.ID)); r.Status != http.StatusNotFound {
			t.Errorf("no photo: %d", r.Status)
		}

		// Bad input: a 422 per field, nothing written.
		many := make([]string, intranet.MaxSkills+1)
		for i := range many {
			many[i] = fmt.Sprintf("skill %d", i)
		}
		wantFields(t, e.As(ann).Patch(me, map[string]any{"title": "Changed", "time_zone": "Mars/Olympus", "skills": many, "phone": "call me", "location": strings.Repeat("x", 101),
			"photo": "data:image/svg+xml;base64," + base64.StdEncoding.EncodeToString([]byte(`<svg onload="alert(1)"/>`)), "birthday": "02-30", "started_on": "2026-13-01"}),
			"time_zone", "skills", "phone", "location", "photo", "birthday", "started_on")
		wantFields(t, e.As(ann).Patch(me, map[string]any{"skills": []string{"<script>"}, "photo": "data:text/plain;base64,aGVsbG8="}), "skills", "photo")
		wantFields(t, e.As(ann).Patch(me, map[string]any{"title": "a\nb"}), "title")
		wantFields(t, e.As(ann).Patch(me, map[string]any{"skills": []string{strings.Repeat("s", intranet.MaxSkill+1)}, "time_zone": "Local"}), "skills", "time_zone")
		e.As(ann).Get(fmt.Sprintf("%s/directory/%d", base, ann.ID)).JSON(t, &p)
		if p.Title != "Lead designer" || len(p.Skills) != 3 || p.TimeZone != "Europe/Paris" {
			t.Fatalf("a refused edit wrote: %+v", p)
		}

		// Managers: a colleague of the account, never the person, never a cycle.
		if r := e.As(ann).Patch(me, map[string]any{"manager_id": bob.ID}); r.Status != http.StatusOK {
			t.Fatalf("manager: %d %s", r.Status, r.Body)
		}
		wantFields(t, e.As(bob).Patch(me, map[string]any{"manager_id": ann.ID}), "manager_id")
		wantFields(t, e.As(bob).Patch(me, map[string]any{"manager_id": bob.ID}), "manager_id")
		wantFields(t, e.As(bob).Patch(me, map[string]any{"manager_id": client.ID}), "manager_id")
		wantFields(t, e.As(bob).Patch(me, map[string]any{"manager_id": stranger.ID}), "manager_id")
		e.As(bob).Get(fmt.Sprintf("%s/directory/%d", base, ann.ID)).JSON(t, &p)
		if p.ManagerID == nil || *p.ManagerID != bob.ID || p.ManagerName != bob.Name {
			t.Fatalf("ann's manager: %+v", p)
		}
		// A longer chain: admin under ann, then bob under admin closes it.
		if r := e.As(admin).Patch(me, map[string]any{"manager_id": ann.ID}); r.Status != http.StatusOK {
			t.Fatalf("admin's manager: %d %s", r.Status, r.Body)
		}
		wantFields(t, e.As(bob).Patch(me, map[string]any{"manager_id": admin.ID}), "manager_id")

		// Administrators edit anyone's profile, but not their birthday; others nobody's.
		one := fmt.Sprintf("%s/directory/%d", base, ann.ID)
		if r := e.As(admin).Patch(one, map[string]any{"title": "Design lead", "started_on": "2020-01-06"}); r.Status != http.StatusOK {
			t.Fatalf("admin edit: %d %s", r.Status, r.Body)
		}
		wantFields(t, e.As(admin).Patch(one, map[string]any{"birthday": "01-02", "show_birthday": true}), "birthday", "show_birthday")
		if r := e.As(bob).Patch(one, map[string]any{"title": "x"}); r.Status != http.StatusForbidden {
			t.Errorf("a manager edits another's profile: %d", r.Status)
		}
		if r := e.As(admin).Patch(fmt.Sprintf("%s/directory/%d", base, stranger.ID), map[string]any{"title": "x"}); r.Status != http.StatusNotFound {
			t.Errorf("another account's person: %d", r.Status)
		}
		if r := e.As(admin).Patch(fmt.Sprintf("%s/directory/%d", base, client.ID), map[string]any{"title": "x"}); r.Status != http.StatusNotFound {
			t.Errorf("a client's profile: %d", r.Status)
		}

		// Filters and search.
		type list struct{ Items []profileOut }
		var l list
		e.As(bob).Get(base+"/directory?skill=Figma").JSON(t, &l)
		if len(l.Items) != 1 || l.Items[0].UserID != ann.ID {
			t.Fatalf("by skill: %+v", l)
		}
		e.As(bob).Get(base+"/directory?q=research").JSON(t, &l)
		if len(l.Items) != 1 || l.Items[0].UserID != ann.ID {
			t.Fatalf("search by skill: %+v", l)
		}
		e.As(bob).Get(base+"/directory?q=DESIGN%20LEAD").JSON(t, &l)
		if len(l.Items) != 1 || l.Items[0].UserID != ann.ID {
			t.Fatalf("search by title: %+v", l)
		}
		e.As(bob).Get(fmt.Sprintf("%s/directory?team=%d&skill=go", base, tid)).JSON(t, &l)
		if len(l.Items) != 0 {
			t.Fatalf("team and a skill nobody has: %+v", l)
		}
		if r := e.As(bob).Get(base + "/directory?skill=%3Cb%3E"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a bad skill filter: %d", r.Status)
		}
		if r := e.As(bob).Get(base + "/directory?team=abc"); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a bad team filter: %d", r.Status)
		}
		// Sorted by title, in pages: the people without a title first, ann last.
		var seen []int64
		next := base + "/directory?sort=title&limit=2"
		for next != "" {
			var pg struct {
				Items      []profileOut
				NextCursor string `json:"next_cursor"`
			}
			e.As(bob).Get(next).JSON(t, &pg)
			for _, it := range pg.Items {
				seen = append(seen, it.UserID)
			}
			next = ""
			if pg.NextCursor != "" {
				next = base + "/directory?sort=title&limit=2&cursor=" + pg.NextCursor
			}
		}
		if len(seen) != 4 || seen[3] != ann.ID {
			t.Fatalf("sorted by title: %v", seen)
		}
		wantFields(t, e.As(bob).Get(base+"/directory?sort=salary"), "sort")
		var sk struct{ Items []intranet.SkillCount }
		e.As(bob).Get(base+"/directory/skills").JSON(t, &sk)
		if len(sk.Items) != 3 || sk.Items[0].People != 1 {
			t.Fatalf("skills: %+v", sk)
		}

		// The search finds people by skill and title (their profile), colleagues only.
		e.Settle()
		type found struct {
			Items []struct {
				Kind, URL string
			}
		}
		var res found
		e.As(bob).Get(base+"/search?q=research").JSON(t, &res)
		if len(res.Items) != 1 || res.Items[0].Kind != intranet.KindProfile || !strings.HasSuffix(res.Items[0].URL, fmt.Sprintf("/intranet/people/%d", ann.ID)) {
			t.Fatalf("search by skill: %+v", res)
		}
		if r := e.As(client).Get(base + "/search?q=research"); r.Status == http.StatusOK {
			res = found{}
			r.JSON(t, &res)
			if len(res.Items) != 0 {
				t.Errorf("a client finds a colleague's profile: %+v", res)
			}
		}

		// Ann's page: her local time, her team linked to the directory filtered by it; the admin
		// may edit it.
		r = e.BrowserLogin(admin).Get(fmt.Sprintf("/%s/intranet/people/%d", acc.Slug, ann.ID))
		if r.Status != http.StatusOK || !strings.Contains(r.String(), `id="local-time"`) || !strings.Contains(r.String(), fmt.Sprintf("/intranet/people?team_id=%d", tid)) ||
			!strings.Contains(r.String(), fmt.Sprintf(`/intranet/people/%d/edit" id="edit-person"`, ann.ID)) || !strings.Contains(r.String(), bob.Name) {
			t.Errorf("ann's page to the admin: %d", r.Status)
		}

		// Clients and other accounts.
		for _, path := range []string{base + "/directory", one, one + "/photo", base + "/directory/skills", base + "/directory/this-week"} {
			if r := e.As(client).Get(path); r.Status != http.StatusForbidden {
				t.Errorf("a client GET %s: %d", path, r.Status)
			}
		}
		if r := e.As(client).Patch(me, map[string]any{"title": "x"}); r.Status != http.StatusForbidden {
			t.Errorf("a client's profile: %d", r.Status)
		}
		if r := e.As(stranger).Get(one); r.Status != http.StatusNotFound {
			t.Errorf("another account: %d", r.Status)
		}
	})
}

// TestDirectoryThisWeek: birthdays (day and month; the year only to the person) and work
// anniversaries show in "this week" only for those who opt in; the vCard carries the profile
// and the photo, folded at 75 octets; the pages show the person and save the profile form
// with an uploaded photo; export and erasure cover the profile.
func TestDirectoryThisWeek(t *testing.T) {
	testkit.EachShared(t, options(), func(t *testing.T, e *testkit.Env) {
		acc := e.NewAccount()
		ann := e.NewUser(acc, actor.RoleMember)
		bob := e.NewUser(acc, actor.RoleMember)
		cid := e.NewUser(acc, actor.RoleMember)
		base := "/api/v1/" + acc.Slug
		me := base + "/directory/me"
		soon := time.Now().UTC().AddDate(0, 0, 2)
		later := time.Now().UTC().AddDate(0, 0, 20)
		bday := fmt.Sprintf("1990-%02d-%02d", soon.Month(), soon.Day())
		if soon.Month() == 2 && soon.Day() == 29 {
			bday = fmt.Sprintf("1992-%02d-%02d", soon.Month(), soon.Day())
		}
		if r := e.As(ann).Patch(me, map[string]any{"birthday": bday, "show_birthday": true, "title": "Designer", "phone": "+33 1 23", "location": "Lyon",
			"skills": []string{"figma"}, "photo": intranet.SamplePhoto()}); r.Status != http.StatusOK {
			t.Fatalf("ann: %d %s", r.Status, r.Body)
		}
		start := fmt.Sprintf("%d-%02d-%02d", soon.Year()-3, soon.Month(), soon.Day())
		if soon.Month() == 2 && soon.Day() == 29 {
			start = fmt.Sprintf("%d-02-28", soon.Year()-3)
		}
		if r := e.As(bob).Patch(me, map[string]any{"started_on": start, "show_anniversary": true, "birthday": fmt.Sprintf("%02d-%02d", later.Month(), later.Day()), "show_birthday": true}); r.Status != http.StatusOK {
			t.Fatalf("bob: %d %s", r.Status, r.Body)
		}
		// Cid's birthday is this week, but not shown.
		if r := e.As(cid).Patch(me, map[string]any{"birthday": fmt.Sprintf("%02d-%02d", soon.Month(), soon.Day())}); r.Status != http.StatusOK {
			t.Fatalf("cid: %d %s", r.Status, r.Body)
		}
		var p profileOut
		e.As(bob).Get(fmt.Sprintf("%s/directory/%d", base, ann.ID)).JSON(t, &p)
		if p.Birthday != bday[5:] {
			t.Errorf("ann's birthday to bob: %q", p.Birthday)
		}
		e.As(ann).Get(fmt.Sprintf("%s/directory/%d", base, ann.ID)).JSON(t, &p)
		if p.Birthday != bday {
			t.Errorf("ann's birthday to ann: %q", p.Birthday)
		}
		p = profileOut{}
		e.As(bob).Get(fmt.Sprintf("%s/directory/%d", base, cid.ID)).JSON(t, &p)
		if p.Birthday != "" {
			t.Errorf("a birthday not shown: %q", p.Birthday)
		}
		var week intranet.CelebrationList
		e.As(cid).Get(base+"/directory/this-week").JSON(t, &week)
		on := soon.Format(time.DateOnly)
		if len(week.Items) != 2 || week.Items[0].On != on || week.Items[1].On != on {
			t.Fatalf("this week: %+v", week)
		}
		for _, c := range week.Items {
			switch {
			case c.Kind == "birthday" && c.UserID == ann.ID:
			case c.Kind == "anniversary" && c.UserID == bob.ID && c.Years == 3:
			default:
				t.Errorf("this week: %+v", c)
			}
		}

		// The vCard.
		pb := e.BrowserLogin(bob)
		r := pb.Get(fmt.Sprintf("/%s/intranet/people/%d/vcard", acc.Slug, ann.ID))
		card := r.String()
		for _, want := range []string{"VERSION:4.0", "TITLE:Designer", "TEL;VALUE=uri;TYPE=work,voice:tel:+33-1-23", "ADR;TYPE=work:;;;Lyon;;;", "CATEGORIES:figma", "BDAY:--" + bday[5:7] + bday[8:], "PHOTO:data:image/jpeg;base64,"} {
			if !strings.Contains(strings.ReplaceAll(card, "\r\n ", ""), want) {
				t.Errorf("vcard lacks %q: %s", want, card)
			}
		}
		if strings.Contains(card, "1990") {
			t.Error("the vCard tells the birth year")
		}
		for _, line := range strings.Split(card, "\r\n") {
			if len(line) > 75 {
				t.Fatalf("a vCard line of %d octets", len(line))
			}
		}

		// Pages: the directory with its skill links and "this week", a person, the form.
		if r := pb.Get(fmt.Sprintf("/%s/intranet/people?skill=figma", acc.Slug)); r.Status != http.StatusOK || !strings.Contains(r.String(), ann.Email) || strings.Contains(r.String(), cid.Email) ||
			!strings.Contains(r.String(), `id="this-week"`) || !strings.Contains(r.String(), "/intranet/people?skill=figma") {
			t.Errorf("the directory page: %d", r.Status)
		}
		if r := pb.Get(fmt.Sprintf("/%s/intranet/people/%d", acc.Slug, ann.ID)); r.Status != http.StatusOK || !strings.Contains(r.String(), "Designer") || strings.Contains(r.String(), `id="edit-person"`) ||
			!strings.Contains(r.String(), `id="birthday"`) || strings.Contains(r.String(), "1990") {
			t.Errorf("ann's page to bob: %d", r.Status)
		}
		if r := e.BrowserLogin(ann).Get(fmt.Sprintf("/%s/intranet/people/%d", acc.Slug, ann.ID)); r.Status != http.StatusOK ||
			!strings.Contains(r.String(), fmt.Sprintf(`href="/%s/intranet/profile" id="edit-person"`, acc.Slug)) || !strings.Contains(r.String(), bday) {
			t.Errorf("ann's own page: %d", r.Status)
		}
		if r := pb.Get(fmt.Sprintf("/%s/intranet", acc.Slug)); !strings.Contains(r.String(), `id="this-week"`) {
			t.Error("no this week on the intranet's home")
		}
		// The calendar shows them too (not cid's, who keeps it to themselves).
		if r := pb.Get(fmt.Sprintf("/%s/intranet/calendar?month=%s", acc.Slug, soon.Format("2006-01"))); r.Status != http.StatusOK ||
			!strings.Contains(r.String(), "🎂 "+htmlName(ann.Name)) || !strings.Contains(r.String(), htmlName(bob.Name)+": 3 years with us") || strings.Contains(r.String(), htmlName(cid.Name)) {
			t.Errorf("the calendar: %d", r.Status)
		}
		if r := pb.Get(fmt.Sprintf("/%s/intranet/people?q=%%00", acc.Slug)); r.Status != http.StatusUnprocessableEntity {
			t.Errorf("a control character: %d", r.Status)
		}
		form := pb.Get("/" + acc.Slug + "/intranet/profile")
		send := func(fields map[string]string, photo []byte) *testkit.Response {
			var buf bytes.Buffer
			mw := multipart.NewWriter(&buf)
			mw.WriteField("_csrf", testkit.CSRFIn(form.Body))
			for k, v := range fields {
				mw.WriteField(k, v)
			}
			if photo != nil {
				fw, _ := mw.CreateFormFile("photo", "me.png")
				fw.Write(photo)
			}
			mw.Close()
			return pb.Send(http.MethodPost, "/"+acc.Slug+"/intranet/profile", http.Header{"Content-Type": {mw.FormDataContentType()}}, &buf)
		}
		if r := send(map[string]string{"title": "Engineer", "skills": "Go, SQL", "time_zone": "Mars/Olympus"}, []byte("not an image")); r.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(r.String(), `id="e-photo"`) || !strings.Contains(r.String(), `id="e-time_zone"`) {
			t.Fatalf("a refused form: %d", r.Status)
		}
		raw, _ := base64.StdEncoding.DecodeString(strings.TrimPrefix(intranet.SamplePhoto(), "data:image/png;base64,"))
		if r := send(map[string]string{"title": "Engineer", "skills": "Go, SQL", "show_anniversary": "on"}, raw); r.Status != http.StatusSeeOther {
			t.Fatalf("the form: %d %s", r.Status, r.Body)
		}
		e.As(bob).Get(fmt.Sprintf("%s/directory/%d", base, bob.ID)).JSON(t, &p)
		if p.Title != "Engineer" || strings.Join(p.Skills, ",") != "go,sql" || p.PhotoURL == "" || !p.ShowAnniversary || p.ShowBirthday {
			t.Fatalf("after the form: %+v", p)
		}

		// Personal data: the profile is exported (the year included) and erased.
		var provider hooks.PersonalData
		for _, pd := range e.App.Hooks.PersonalData {
			if pd.Module == "intranet" {
				provider = pd.Hook
			}
		}
		ctx := context.Background()
		s := hooks.Subject{AccountID: acc.ID, UserID: ann.ID, Email: ann.Email, Name: ann.Name}
		var x walk.Export
		if err := provider.Export(ctx, s, &x); err != nil {
			t.Fatal(err)
		}
		if got := string(x.Files["intranet.json"]); !strings.Contains(got, `"directory_profile"`) || !strings.Contains(got, bday) || len(x.Files["intranet-photo.jpg"]) == 0 {
			t.Errorf("export: %s", got)
		}
		if err := walk.Erase(ctx, e.App.DB, e.App.Hooks, s, hooks.Erasure{}); err != nil {
			t.Fatal(err)
		}
		for _, table := range []string{"directory_profiles", "directory_skills", "directory_photos"} {
			if n, err := e.App.DB.NewSelect().TableExpr(table).Where("account_id = ? AND user_id = ?", acc.ID, ann.ID).Count(ctx); err != nil || n != 0 {
				t.Errorf("%s after the erasure: %d %v", table, n, err)
			}
		}
	})
}
