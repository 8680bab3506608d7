package intranet

// The directory's profiles: what a colleague's card says beyond core identity's name, email,
// company and teams (directory.go lists them). One directory_profiles row per account and
// person, made on the first edit; skills one directory_skills row each; the photo a square
// JPEG thumbnail in directory_photos (photo.go). Each person edits their own; administrators
// (intranet.manage) anyone's — but a birthday and whether it and the work anniversary show in
// "this week" are the person's own choice: nobody else sets them.

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// Profile limits (a longer value is refused with 422, never cut).
const (
	MaxJobTitle = 100
	MaxPhone    = 40
	MaxLocation = 100
	MaxSkills   = 30 // skills per person
	MaxSkill    = 40 // characters of one skill
	// maxChain bounds the walk up a manager chain when checking for a cycle.
	maxChain = 1000
)

// Profile is a person's directory profile in an account.
type Profile struct {
	bun.BaseModel `bun:"table:directory_profiles,alias:dp"`

	AccountID       int64     `bun:"account_id,pk"`
	UserID          int64     `bun:"user_id,pk"`
	Title           string    `bun:"title"`
	Phone           string    `bun:"phone"`
	Location        string    `bun:"location"`
	TimeZone        string    `bun:"time_zone"`
	ManagerID       *int64    `bun:"manager_id"`
	BirthMonth      int       `bun:"birth_month"`
	BirthDay        int       `bun:"birth_day"`
	BirthYear       int       `bun:"birth_year"`
	ShowBirthday    bool      `bun:"show_birthday"`
	StartedOn       string    `bun:"started_on"`
	ShowAnniversary bool      `bun:"show_anniversary"`
	HasPhoto        bool      `bun:"has_photo"`
	PhotoVersion    int       `bun:"photo_version"`
	UpdatedAt       time.Time `bun:"updated_at"`
}

// Skill is one skill of a person.
type Skill struct {
	bun.BaseModel `bun:"table:directory_skills,alias:ds"`

	AccountID int64  `bun:"account_id,pk"`
	UserID    int64  `bun:"user_id,pk"`
	Skill     string `bun:"skill,pk"`
}

// ProfileInput changes a profile: a field left out keeps its value, "" (or 0, or []) clears it.
type ProfileInput struct {
	Title    *string `json:"title" example:"Lead designer"`
	Phone    *string `json:"phone" example:"+33 1 23 45 67 89"`
	Location *string `json:"location" example:"Lyon office"`
	// TimeZone is an IANA name; "" shows the person's own setting.
	TimeZone *string `json:"time_zone" example:"Europe/Paris"`
	// Skills are short tags (at most 30, 40 characters each): lower-cased, spaces collapsed,
	// duplicates dropped.
	Skills *[]string `json:"skills" example:"[\"figma\",\"user research\"]"`
	// ManagerID is a colleague of the account (0: none); a chain that would come back to the
	// person is refused.
	ManagerID *int64 `json:"manager_id" example:"42"`
	// Birthday is MM-DD or YYYY-MM-DD ("": none); the year is never shown to others. Only the
	// person sets it.
	Birthday *string `json:"birthday" example:"03-14"`
	// ShowBirthday and ShowAnniversary opt in to the "this week" block (the person only).
	ShowBirthday    *bool   `json:"show_birthday" example:"true"`
	StartedOn       *string `json:"started_on" example:"2021-09-01"`
	ShowAnniversary *bool   `json:"show_anniversary" example:"true"`
	// Photo is a data URL of a PNG, JPEG, GIF or WebP image of at most 2 MiB, made a square
	// thumbnail; "" removes it.
	Photo *string `json:"photo" example:"data:image/png;base64,iVBORw0KGgo="`

	// photo is an uploaded image's bytes (the page's form), instead of Photo.
	photo []byte
}

// normSkill is a skill as stored — lower-cased, spaces collapsed — or a message.
func normSkill(s string) (string, *problem.FieldError) {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	if utf8.RuneCountInString(s) > MaxSkill {
		e := problem.Sayf("skills", "a skill is at most {max} characters", "max", MaxSkill)
		return "", &e
	}
	for _, r := range s {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !strings.ContainsRune(" +#.-_/&", r) {
			e := problem.Sayf("skills", "a skill is letters, digits, spaces and + # . - _ / &")
			return "", &e
		}
	}
	return s, nil
}

// normSkills normalises a list of skills, or adds a message to f.
func normSkills(in []string, f *problem.Fields) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, raw := range in {
		s, e := normSkill(raw)
		if e != nil {
			f.Put(*e)
			return nil
		}
		if s == "" || seen[s] {
			continue
		}
		seen[s] = true
		out = append(out, s)
	}
	if len(out) > MaxSkills {
		f.Put(problem.Sayf("skills", "must be at most {max} tags", "max", MaxSkills))
		return nil
	}
	return out
}

// SplitSkills reads the skills of a form's text: separated by commas or line breaks.
func SplitSkills(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' || r == ';' })
}

// line checks a one-line value of at most max characters.
func line(f *problem.Fields, field, s string, max int) string {
	s = strings.TrimSpace(s)
	if msg := validate.Text(s, max, false); msg != "" {
		if utf8.RuneCountInString(s) > max {
			f.Put(problem.Sayf(field, "must be at most {max} characters", "max", max))
		} else {
			f.Add(field, msg)
		}
		return ""
	}
	if strings.ContainsAny(s, "\r\n\t") {
		f.Add(field, "must not contain control characters")
		return ""
	}
	return s
}

// checkPhone: digits, spaces and + ( ) - . / only, with at least one digit.
func checkPhone(f *problem.Fields, s string) string {
	s = line(f, "phone", s, MaxPhone)
	if s == "" || f.Has("phone") {
		return s
	}
	digits := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case strings.ContainsRune(" +()-./", r):
		default:
			f.Add("phone", "must be a phone number: digits, spaces and + ( ) - . /")
			return ""
		}
	}
	if digits == 0 {
		f.Add("phone", "must be a phone number: digits, spaces and + ( ) - . /")
		return ""
	}
	return s
}

// parseBirthday reads MM-DD or YYYY-MM-DD (year from 1900 to this year).
func parseBirthday(s string, now time.Time) (month, day, year int, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, 0, 0, true
	}
	probe := s
	if len(s) == 5 {
		probe = "2000-" + s // a leap year: 02-29 is a birthday
	}
	t, err := time.Parse(time.DateOnly, probe)
	if err != nil {
		return 0, 0, 0, false
	}
	if len(s) == 10 {
		if t.Year() < 1900 || t.After(now) {
			return 0, 0, 0, false
		}
		year = t.Year()
	}
	return int(t.Month()), t.Day(), year, true
}

// checkStartedOn reads a YYYY-MM-DD start date (1900 to a year from now).
func checkStartedOn(f *problem.Fields, s string, now time.Time) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil || len(s) != 10 {
		f.Add("started_on", "must be a day written YYYY-MM-DD")
		return ""
	}
	if t.Year() < 1900 || t.After(now.AddDate(1, 0, 0)) {
		f.Add("started_on", "must be between 1900 and a year from now")
		return ""
	}
	return s
}

// profileTarget checks that userID is a colleague of the actor's directory (404 otherwise) and
// that the actor may change their profile: their own, or anyone's for administrators (403).
func (s *Service) profileTarget(ctx context.Context, tn db.Tenant, a *actor.Actor, userID int64) error {
	n, err := directoryQuery(tn, DirectoryFilter{}).Where("m.user_id = ?", userID).Count(ctx)
	if err != nil {
		return err
	}
	if n == 0 {
		return problem.NotFound()
	}
	if userID != a.UserID && !a.May("intranet", "manage") {
		return problem.Forbidden("only the person and administrators change a profile")
	}
	return nil
}

// checkManager refuses a manager who is not a colleague of the account, the person, or one
// whose chain of managers comes back to the person.
func (s *Service) checkManager(ctx context.Context, tn db.Tenant, userID, managerID int64, f *problem.Fields) {
	if managerID == userID {
		f.Add("manager_id", "a person is not their own manager")
		return
	}
	n, err := directoryQuery(tn, DirectoryFilter{}).Where("m.user_id = ?", managerID).Count(ctx)
	if err != nil || n == 0 {
		f.Put(problem.Sayf("manager_id", "no person {id} in this account", "id", managerID))
		return
	}
	seen := map[int64]bool{managerID: true}
	at := managerID
	for i := 0; i < maxChain; i++ {
		var next []int64
		if err := tn.SelectFrom("directory_profiles", "dp").Column("dp.manager_id").Where("dp.user_id = ? AND dp.manager_id IS NOT NULL", at).Scan(ctx, &next); err != nil || len(next) == 0 {
			return
		}
		at = next[0]
		if at == userID {
			f.Add("manager_id", "would make a cycle of managers")
			return
		}
		if seen[at] {
			return // a cycle above that does not reach the person (made before this check)
		}
		seen[at] = true
	}
}

// UpdateDirectoryProfile changes a person's profile (their own, or anyone's for
// administrators); bad input is a 422 naming each field, and writes nothing.
func (s *Service) UpdateDirectoryProfile(ctx context.Context, a *actor.Actor, userID int64, in ProfileInput) (Person, error) {
	tn := s.tenant(a.AccountID())
	if err := s.profileTarget(ctx, tn, a, userID); err != nil {
		return Person{}, err
	}
	now := s.now()
	var p Profile
	var found []Profile
	if err := tn.Select(&found).Where("dp.user_id = ?", userID).Scan(ctx); err != nil {
		return Person{}, err
	}
	if len(found) > 0 {
		p = found[0]
	} else {
		p = Profile{AccountID: tn.AccountID, UserID: userID}
	}
	var f problem.Fields
	self := userID == a.UserID
	if in.Title != nil {
		p.Title = line(&f, "title", *in.Title, MaxJobTitle)
	}
	if in.Phone != nil {
		p.Phone = checkPhone(&f, *in.Phone)
	}
	if in.Location != nil {
		p.Location = line(&f, "location", *in.Location, MaxLocation)
	}
	if in.TimeZone != nil {
		tz := strings.TrimSpace(*in.TimeZone)
		if tz != "" {
			if len(tz) > 64 || validate.Control(tz, false) || actor.Zone(tz) == nil || strings.EqualFold(tz, "local") {
				f.Add("time_zone", "is not a time zone (an IANA name such as Europe/Paris)")
			}
		}
		p.TimeZone = tz
	}
	var skills []string
	if in.Skills != nil {
		skills = normSkills(*in.Skills, &f)
	}
	if in.ManagerID != nil {
		if *in.ManagerID == 0 {
			p.ManagerID = nil
		} else {
			s.checkManager(ctx, tn, userID, *in.ManagerID, &f)
			id := *in.ManagerID
			p.ManagerID = &id
		}
	}
	ownOnly := func(field string) bool {
		if !self {
			f.Add(field, "only the person sets this")
		}
		return self
	}
	if in.Birthday != nil && ownOnly("birthday") {
		m, d, y, ok := parseBirthday(*in.Birthday, now)
		if !ok {
			f.Add("birthday", "must be a day written MM-DD or YYYY-MM-DD")
		}
		p.BirthMonth, p.BirthDay, p.BirthYear = m, d, y
	}
	if in.ShowBirthday != nil && ownOnly("show_birthday") {
		p.ShowBirthday = *in.ShowBirthday
	}
	if in.ShowAnniversary != nil && ownOnly("show_anniversary") {
		p.ShowAnniversary = *in.ShowAnniversary
	}
	if in.StartedOn != nil {
		p.StartedOn = checkStartedOn(&f, *in.StartedOn, now)
	}
	photo, removePhoto := in.photo, false
	if in.Photo != nil {
		if *in.Photo == "" {
			removePhoto = true
		} else if b, msg := decodeDataURL(*in.Photo); msg != "" {
			f.Add("photo", msg)
		} else {
			photo = b
		}
	}
	var thumb []byte
	if photo != nil && !f.Has("photo") {
		var msg string
		if thumb, msg = Thumbnail(photo); msg != "" {
			f.Add("photo", msg)
		}
	}
	if err := f.Err(); err != nil {
		return Person{}, err
	}
	p.UpdatedAt = now
	err := tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		if thumb != nil || removePhoto {
			p.PhotoVersion++
			p.HasPhoto = thumb != nil
		}
		if _, err := tn.Insert(&p).On("CONFLICT (account_id, user_id) DO UPDATE").
			Set("title = EXCLUDED.title, phone = EXCLUDED.phone, location = EXCLUDED.location, time_zone = EXCLUDED.time_zone, manager_id = EXCLUDED.manager_id").
			Set("birth_month = EXCLUDED.birth_month, birth_day = EXCLUDED.birth_day, birth_year = EXCLUDED.birth_year, show_birthday = EXCLUDED.show_birthday").
			Set("started_on = EXCLUDED.started_on, show_anniversary = EXCLUDED.show_anniversary, has_photo = EXCLUDED.has_photo, photo_version = EXCLUDED.photo_version, updated_at = EXCLUDED.updated_at").
			Exec(ctx); err != nil {
			return err
		}
		if in.Skills != nil {
			if _, err := tn.Exec(ctx, "DELETE FROM directory_skills WHERE account_id = ? AND user_id = ?", userID); err != nil {
				return err
			}
			if len(skills) > 0 {
				rows := make([]Skill, len(skills))
				for i, sk := range skills {
					rows[i] = Skill{AccountID: tn.AccountID, UserID: userID, Skill: sk}
				}
				if _, err := tn.Insert(&rows).Exec(ctx); err != nil {
					return err
				}
			}
		}
		switch {
		case removePhoto:
			if _, err := tn.Exec(ctx, "DELETE FROM directory_photos WHERE account_id = ? AND user_id = ?", userID); err != nil {
				return err
			}
		case thumb != nil:
			ph := &Photo{AccountID: tn.AccountID, UserID: userID, Image: thumb, UpdatedAt: now}
			if _, err := tn.Insert(ph).On("CONFLICT (account_id, user_id) DO UPDATE").Set("image = EXCLUDED.image, updated_at = EXCLUDED.updated_at").Exec(ctx); err != nil {
				return err
			}
		}
		if err := touch(ctx, tn, hooks.Ref{Kind: KindProfile, ID: userID}); err != nil {
			return err
		}
		details := map[string]any{"user_id": userID, "title": p.Title, "skills": len(skills), "photo": thumb != nil, "photo_removed": removePhoto}
		return record(ctx, tn, a, "intranet.profile_changed", "person", userID, details)
	})
	if err != nil {
		return Person{}, err
	}
	return s.Colleague(ctx, a, userID)
}

// SkillCount is a skill and how many colleagues have it.
type SkillCount struct {
	Skill  string `bun:"skill" json:"skill"`
	People int    `bun:"people" json:"people"`
}

// SkillList is the account's skills.
type SkillList struct {
	Items []SkillCount `json:"items"`
}

// MaxSkillList is how many skills the directory's filter offers (the most common).
const MaxSkillList = 200

// Skills lists the skills of the account's colleagues, the most common first.
func (s *Service) Skills(ctx context.Context, a *actor.Actor) ([]SkillCount, error) {
	tn := s.tenant(a.AccountID())
	out := []SkillCount{}
	err := tn.SelectFrom("directory_skills", "ds").ColumnExpr("ds.skill, COUNT(*) AS people").
		Where("ds.user_id IN (?)", colleagueIDs(tn)).
		GroupExpr("ds.skill").OrderExpr("people DESC, ds.skill").Limit(MaxSkillList).Scan(ctx, &out)
	return out, err
}

// Celebration is a colleague's birthday or work anniversary in the coming week.
type Celebration struct {
	UserID int64  `json:"user_id"`
	Name   string `json:"name"`
	Kind   string `json:"kind" enum:"birthday,anniversary"`
	// On is the day it falls this time (YYYY-MM-DD).
	On string `json:"on" format:"date"`
	// Years is how many years with the account, for an anniversary.
	Years int `json:"years,omitempty"`
}

// CelebrationList is the week's birthdays and anniversaries.
type CelebrationList struct {
	Items []Celebration `json:"items"`
}

// ThisWeek lists the birthdays and work anniversaries of the seven days from the viewer's
// today, of the colleagues who chose to show them; the day order.
func (s *Service) ThisWeek(ctx context.Context, a *actor.Actor) ([]Celebration, error) {
	today := s.now().In(a.Location())
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	return s.Celebrations(ctx, a, today, today.AddDate(0, 0, 6))
}

// MaxCelebrationDays bounds the days Celebrations reads (a calendar month grid is 42).
const MaxCelebrationDays = 62

// Celebrations lists the shown birthdays and work anniversaries of the civil days first..last
// (at most MaxCelebrationDays), in the day order.
func (s *Service) Celebrations(ctx context.Context, a *actor.Actor, first, last time.Time) ([]Celebration, error) {
	tn := s.tenant(a.AccountID())
	if last.Before(first) {
		return []Celebration{}, nil
	}
	if last.Sub(first) > MaxCelebrationDays*24*time.Hour {
		last = first.AddDate(0, 0, MaxCelebrationDays)
	}
	var months []int
	var mm []string
	for m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC); !m.After(last); m = m.AddDate(0, 1, 0) {
		months = append(months, int(m.Month()))
		mm = append(mm, fmt.Sprintf("%02d", int(m.Month())))
	}
	var rows []struct {
		UserID          int64  `bun:"user_id"`
		Name            string `bun:"name"`
		BirthMonth      int    `bun:"birth_month"`
		BirthDay        int    `bun:"birth_day"`
		ShowBirthday    bool   `bun:"show_birthday"`
		StartedOn       string `bun:"started_on"`
		ShowAnniversary bool   `bun:"show_anniversary"`
	}
	err := tn.SelectFrom("directory_profiles", "dp").Join("JOIN users AS u ON u.id = dp.user_id").
		ColumnExpr("dp.user_id, u.name, dp.birth_month, dp.birth_day, dp.show_birthday, dp.started_on, dp.show_anniversary").
		Where("dp.user_id IN (?)", colleagueIDs(tn)).
		Where("(dp.show_birthday AND dp.birth_month IN (?)) OR (dp.show_anniversary AND dp.started_on <> '' AND SUBSTR(dp.started_on, 6, 2) IN (?))", bun.In(months), bun.In(mm)).
		OrderExpr("u.name, dp.user_id").Limit(MaxCelebrations).Scan(ctx, &rows)
	if err != nil {
		return nil, err
	}
	// on says whether a yearly date (month, day) falls on d: 29 February on the 28th in
	// a common year.
	on := func(month time.Month, dd int, d time.Time) bool {
		return month == d.Month() && (dd == d.Day() || (month == 2 && dd == 29 && d.Day() == 28 && !leap(d.Year())))
	}
	out := []Celebration{}
	for d := first; !d.After(last); d = d.AddDate(0, 0, 1) {
		for _, r := range rows {
			if r.ShowBirthday && on(time.Month(r.BirthMonth), r.BirthDay, d) {
				out = append(out, Celebration{UserID: r.UserID, Name: r.Name, Kind: "birthday", On: d.Format(time.DateOnly)})
			}
			if r.ShowAnniversary && r.StartedOn != "" {
				st, err := time.Parse(time.DateOnly, r.StartedOn)
				if err == nil && st.Year() < d.Year() && on(st.Month(), st.Day(), d) {
					out = append(out, Celebration{UserID: r.UserID, Name: r.Name, Kind: "anniversary", On: d.Format(time.DateOnly), Years: d.Year() - st.Year()})
				}
			}
		}
	}
	return out, nil
}

// MaxCelebrations bounds the people a range's celebrations read.
const MaxCelebrations = 2000

func leap(y int) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

// birthdayText is a birthday as the person's own card shows it (MM-DD, or YYYY-MM-DD with
// the year).
func birthdayText(month, day, year int) string {
	if month == 0 {
		return ""
	}
	if year > 0 {
		return fmt.Sprintf("%04d-%02d-%02d", year, month, day)
	}
	return fmt.Sprintf("%02d-%02d", month, day)
}

// photoURL is where the API serves a person's photo (its version busts caches).
func photoURL(slug string, userID int64, version int) string {
	return "/api/v1/" + slug + "/directory/" + strconv.FormatInt(userID, 10) + "/photo?v=" + strconv.Itoa(version)
}
