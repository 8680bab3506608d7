package intranet

import (
	"context"
	"encoding/base64"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
)

// Person is a colleague in the directory: who they are in the account, their teams, and their
// profile (profiles.go).
type Person struct {
	UserID  int64    `bun:"user_id" json:"user_id"`
	Name    string   `bun:"name" json:"name"`
	Email   string   `bun:"email" json:"email" format:"email"`
	Role    string   `bun:"role" json:"role"`
	Company string   `bun:"company" json:"company"`
	Teams   []string `bun:"-" json:"teams"`
	// TeamIDs are the ids of Teams, in the same order (?team= filters by one).
	TeamIDs  []int64 `bun:"-" json:"team_ids"`
	Title    string  `bun:"title" json:"title"`
	Phone    string  `bun:"phone" json:"phone"`
	Location string  `bun:"location" json:"location"`
	// TimeZone is the directory's zone for the person, or else their own setting.
	TimeZone    string   `bun:"time_zone" json:"time_zone"`
	Skills      []string `bun:"-" json:"skills"`
	ManagerID   *int64   `bun:"manager_id" json:"manager_id"`
	ManagerName string   `bun:"manager_name" json:"manager_name,omitempty"`
	// PhotoURL is where the API serves the photo ("" without one).
	PhotoURL string `bun:"-" json:"photo_url,omitempty"`
	// Birthday is MM-DD when the person shows it; their own card shows the year too.
	Birthday        string `bun:"-" json:"birthday,omitempty"`
	StartedOn       string `bun:"started_on" json:"started_on,omitempty"`
	ShowBirthday    bool   `bun:"show_birthday" json:"show_birthday"`
	ShowAnniversary bool   `bun:"show_anniversary" json:"show_anniversary"`

	// What the queries read for the fields above (never given as such).
	BirthMonth   int  `bun:"birth_month" json:"-"`
	BirthDay     int  `bun:"birth_day" json:"-"`
	BirthYear    int  `bun:"birth_year" json:"-"`
	PhotoVersion int  `bun:"photo_version" json:"-"`
	HasPhoto     bool `bun:"has_photo" json:"-"`
}

// DirectoryFilter narrows the directory: a part of a name, email, title or skill, a team, a
// skill.
type DirectoryFilter struct {
	Query  string
	TeamID int64
	Skill  string
	// Sort is the order: "name" (the default), "title" or "location" (then by name).
	Sort string
}

// DirectorySorts are the directory's orders, with the SQL of their key.
var DirectorySorts = map[string]string{"name": "u.name", "title": "COALESCE(dp.title, '')", "location": "COALESCE(dp.location, '')"}

// colleagueIDs selects the ids of the account's active colleagues (clients are guests, not
// colleagues): whom the directory knows.
func colleagueIDs(tn db.Tenant) *bun.SelectQuery {
	return tn.SelectFrom("memberships", "cm").Column("cm.user_id").
		Where("cm.status = ? AND cm.deactivated_at IS NULL AND cm.role <> ?", identity.StatusActive, actor.RoleClient)
}

// directoryQuery selects the account's active colleagues with their profiles.
func directoryQuery(tn db.Tenant, f DirectoryFilter) *bun.SelectQuery {
	q := tn.SelectFrom("memberships", "m").Join("JOIN users AS u ON u.id = m.user_id").
		Join("LEFT JOIN companies AS co ON co.id = m.company_id").
		Join("LEFT JOIN directory_profiles AS dp ON dp.account_id = m.account_id AND dp.user_id = m.user_id").
		// The manager, while a colleague of the account.
		Join("LEFT JOIN memberships AS mm ON mm.account_id = m.account_id AND mm.user_id = dp.manager_id AND mm.status = ? AND mm.deactivated_at IS NULL AND mm.role <> ?", identity.StatusActive, actor.RoleClient).
		Join("LEFT JOIN users AS mu ON mu.id = mm.user_id").
		ColumnExpr("m.user_id, u.name, u.email, m.role, co.name AS company, mu.name AS manager_name").
		ColumnExpr("COALESCE(dp.title, '') AS title, COALESCE(dp.phone, '') AS phone, COALESCE(dp.location, '') AS location").
		ColumnExpr("COALESCE(NULLIF(dp.time_zone, ''), u.time_zone) AS time_zone, dp.manager_id").
		ColumnExpr("COALESCE(dp.birth_month, 0) AS birth_month, COALESCE(dp.birth_day, 0) AS birth_day, COALESCE(dp.birth_year, 0) AS birth_year").
		ColumnExpr("COALESCE(dp.show_birthday, FALSE) AS show_birthday, COALESCE(dp.started_on, '') AS started_on, COALESCE(dp.show_anniversary, FALSE) AS show_anniversary").
		ColumnExpr("COALESCE(dp.photo_version, 0) AS photo_version, COALESCE(dp.has_photo, FALSE) AS has_photo").
		Where("m.status = ? AND m.deactivated_at IS NULL AND m.role <> ?", identity.StatusActive, actor.RoleClient)
	if f.Query != "" {
		like := "%" + strings.ToLower(likeEscape(f.Query)) + "%"
		q = q.Where("(LOWER(u.name) LIKE ? ESCAPE '\\' OR u.email LIKE ? ESCAPE '\\' OR LOWER(dp.title) LIKE ? ESCAPE '\\' "+
			"OR EXISTS (SELECT 1 FROM directory_skills AS qs WHERE qs.account_id = m.account_id AND qs.user_id = m.user_id AND qs.skill LIKE ? ESCAPE '\\'))", like, like, like, like)
	}
	if f.TeamID > 0 {
		q = q.Where("m.user_id IN (SELECT tm.user_id FROM team_members AS tm WHERE tm.account_id = m.account_id AND tm.team_id = ?)", f.TeamID)
	}
	if f.Skill != "" {
		q = q.Where("EXISTS (SELECT 1 FROM directory_skills AS fs WHERE fs.account_id = m.account_id AND fs.user_id = m.user_id AND fs.skill = ?)", f.Skill)
	}
	return q
}

// Directory lists the account's colleagues by name, in pages, with their teams and skills.
func (s *Service) Directory(ctx context.Context, a *actor.Actor, p api.KeyPage, f DirectoryFilter) (api.List[Person], error) {
	tn := s.tenant(a.AccountID())
	out := []Person{}
	key, ok := DirectorySorts[f.Sort]
	if !ok {
		key = DirectorySorts["name"]
	}
	// The order is the key, then the person (a cursor is the key and id of a page's last).
	q := directoryQuery(tn, f).OrderExpr(key + ", m.user_id").Limit(int64(p.Limit + 1))
	if p.After > 0 {
		q = q.Where("("+key+" > ? OR ("+key+" = ? AND m.user_id > ?))", p.Key, p.Key, p.After)
	}
	if err := q.Scan(ctx, &out); err != nil {
		return api.List[Person]{}, err
	}
	res := api.List[Person]{Items: out}
	if len(out) > p.Limit {
		res.Items = out[:p.Limit]
		last := res.Items[p.Limit-1]
		k := last.Name
		switch f.Sort {
		case "title":
			k = last.Title
		case "location":
			k = last.Location
		}
		res.NextCursor = api.KeyCursor(k, last.UserID)
	}
	return res, s.complete(ctx, tn, a, res.Items)
}

// complete fills the people's teams and skills, and what the viewer sees of their photo and
// birthday (its year: only their own; the day: when they show it, or to themselves).
func (s *Service) complete(ctx context.Context, tn db.Tenant, a *actor.Actor, people []Person) error {
	if len(people) == 0 {
		return nil
	}
	ids := make([]int64, len(people))
	at := map[int64]int{}
	for i, p := range people {
		ids[i] = p.UserID
		at[p.UserID] = i
		people[i].Teams, people[i].TeamIDs, people[i].Skills = []string{}, []int64{}, []string{}
		if p.HasPhoto {
			people[i].PhotoURL = photoURL(a.Account.Slug, p.UserID, p.PhotoVersion)
		}
		switch {
		case p.UserID == a.UserID:
			people[i].Birthday = birthdayText(p.BirthMonth, p.BirthDay, p.BirthYear)
		case p.ShowBirthday:
			people[i].Birthday = birthdayText(p.BirthMonth, p.BirthDay, 0)
		}
		if p.UserID != a.UserID {
			people[i].BirthYear = 0
		}
	}
	var rows []struct {
		UserID int64  `bun:"user_id"`
		ID     int64  `bun:"id"`
		Name   string `bun:"name"`
	}
	if err := tn.SelectFrom("team_members", "tm").Join("JOIN teams AS tt ON tt.id = tm.team_id").ColumnExpr("tm.user_id, tt.id, tt.name").
		Where("tm.user_id IN (?)", bun.In(ids)).OrderExpr("tt.name, tt.id").Scan(ctx, &rows); err != nil {
		return err
	}
	for _, r := range rows {
		pp := &people[at[r.UserID]]
		pp.Teams, pp.TeamIDs = append(pp.Teams, r.Name), append(pp.TeamIDs, r.ID)
	}
	rows = rows[:0]
	if err := tn.SelectFrom("directory_skills", "ds").ColumnExpr("ds.user_id, ds.skill AS name").
		Where("ds.user_id IN (?)", bun.In(ids)).OrderExpr("ds.skill").Scan(ctx, &rows); err != nil {
		return err
	}
	for _, r := range rows {
		people[at[r.UserID]].Skills = append(people[at[r.UserID]].Skills, r.Name)
	}
	return nil
}

// Colleague is one person of the directory (404 for anyone else).
func (s *Service) Colleague(ctx context.Context, a *actor.Actor, userID int64) (Person, error) {
	tn := s.tenant(a.AccountID())
	var p []Person
	if err := directoryQuery(tn, DirectoryFilter{}).Where("m.user_id = ?", userID).Scan(ctx, &p); err != nil {
		return Person{}, err
	}
	if len(p) == 0 {
		return Person{}, problem.NotFound()
	}
	return p[0], s.complete(ctx, tn, a, p)
}

// Reports are the colleagues whose manager the person is, by name.
func (s *Service) Reports(ctx context.Context, a *actor.Actor, userID int64) ([]Person, error) {
	tn := s.tenant(a.AccountID())
	out := []Person{}
	err := directoryQuery(tn, DirectoryFilter{}).Where("dp.manager_id = ?", userID).OrderExpr("u.name, m.user_id").Limit(MaxReports).Scan(ctx, &out)
	return out, err
}

// MaxReports is how many direct reports a person's page lists.
const MaxReports = 200

// VCard is a person's card (RFC 6350, vCard 4.0): name, email, organization, title, phone,
// address (their location), time zone, teams and skills as categories, the birthday's day when
// they show it, and the photo inline. photo is the JPEG or nil.
func VCard(p Person, photo []byte) string {
	esc := strings.NewReplacer(`\`, `\\`, ",", `\,`, ";", `\;`, "\n", `\n`, "\r", "")
	var b strings.Builder
	put := func(line string) { b.WriteString(fold(line)) }
	put("BEGIN:VCARD")
	put("VERSION:4.0")
	put("FN:" + esc.Replace(p.Name))
	put("EMAIL;TYPE=work:" + esc.Replace(p.Email))
	if p.Company != "" {
		put("ORG:" + esc.Replace(p.Company))
	}
	if p.Title != "" {
		put("TITLE:" + esc.Replace(p.Title))
	}
	if p.Phone != "" {
		put("TEL;VALUE=uri;TYPE=work,voice:tel:" + strings.NewReplacer(" ", "-", "(", "", ")", "", "/", "-").Replace(p.Phone))
	}
	if p.Location != "" {
		put("ADR;TYPE=work:;;;" + esc.Replace(p.Location) + ";;;")
	}
	if p.TimeZone != "" {
		put("TZ:" + esc.Replace(p.TimeZone))
	}
	if len(p.Teams)+len(p.Skills) > 0 {
		var cats []string
		for _, c := range append(append([]string{}, p.Teams...), p.Skills...) {
			cats = append(cats, esc.Replace(c))
		}
		put("CATEGORIES:" + strings.Join(cats, ","))
	}
	if p.ShowBirthday && p.BirthMonth > 0 {
		put(fmt.Sprintf("BDAY:--%02d%02d", p.BirthMonth, p.BirthDay))
	}
	if p.ManagerName != "" {
		put("RELATED;TYPE=co-worker;VALUE=text:" + esc.Replace(p.ManagerName))
	}
	if len(photo) > 0 {
		put("PHOTO:data:image/jpeg;base64," + base64.StdEncoding.EncodeToString(photo))
	}
	put("END:VCARD")
	return b.String()
}

// fold ends a content line with CRLF, folded at 75 octets (RFC 6350 3.2) without cutting a
// UTF-8 character.
func fold(line string) string {
	var b strings.Builder
	limit := 75
	for len(line) > limit {
		cut := limit
		for cut > 0 && line[cut]&0xC0 == 0x80 {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = 74 // the leading space counts
	}
	b.WriteString(line)
	b.WriteString("\r\n")
	return b.String()
}
