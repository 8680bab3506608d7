package gcapi

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"groupcamp/core/identity"
	"groupcamp/core/validate"
)

// The types of GroupCamp's documentation (doc-provisioning/types, doc-reporting/types), with
// its JSON names. Ids are strings.

// SimpleGroup is a group in lists.
type SimpleGroup struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Type  string `json:"type"`
	GType string `json:"gtype"`
	State string `json:"state"`
}

// SimpleUser is a person in lists and references.
type SimpleUser struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Type  string `json:"type"`
	UType string `json:"utype"`
	State string `json:"state"`
}

// SimpleOrga is a company in lists and references.
type SimpleOrga struct {
	ID    string `json:"id"`
	Name  string `json:"name"`
	Type  string `json:"type"`
	OType string `json:"otype"`
	State string `json:"state"`
	// Picture is null: our companies have no picture.
	Picture any `json:"picture"`
}

// Orga is a company as GET core/v1/orga/[Orga] answers it.
type Orga struct {
	ID               string `json:"id"`
	Name             string `json:"name"`
	Type             string `json:"type"`
	OType            string `json:"otype"`
	State            string `json:"state"`
	Description      string `json:"description"`
	Website          string `json:"website"`
	CreationDate     string `json:"creation_date"`
	ModificationDate string `json:"modification_date"`
}

// SimpleGcat is a project category.
type SimpleGcat struct {
	ID   string `json:"id"`
	Type string `json:"type"`
	Name string `json:"name"`
}

// SimpleTeam is a team.
type SimpleTeam struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Type string `json:"type"`
}

// Nobody is the empty person (and Nothing the empty object): {"id": "empty"}.
type Nobody struct {
	ID string `json:"id"`
}

var nobody = Nobody{ID: "empty"}

// Duration is a time in both of GroupCamp's units.
type Duration struct {
	D int64 `json:"d"`
	S int64 `json:"s"`
}

// MinutesPerDay is the length of the day the "d" unit counts in thousandths.
const MinutesPerDay = 8 * 60

func duration(minutes int64) Duration {
	return Duration{D: minutes * 1000 / MinutesPerDay, S: minutes * 60}
}

// Dates are a start and an end day.
type Dates struct {
	Start *string `json:"start"`
	End   *string `json:"end"`
}

func dayOrNil(d string) *string {
	if d == "" {
		return nil
	}
	return &d
}

// dateTime writes an instant as GroupCamp's DateTime (RFC 3339, UTC).
func dateTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

func dateTimeOrNil(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := dateTime(*t)
	return &s
}

func simpleUser(m identity.Member) SimpleUser {
	u := SimpleUser{ID: id(m.ID), Name: m.Name, Type: "user", UType: "employee", State: "ok"}
	if m.Role == "client" {
		u.UType = "guest"
	}
	if !m.Active {
		u.State = "del"
	}
	return u
}

// otype is GroupCamp's type of one of our companies: the account's own is internal, the
// others (clients and suppliers) are invited.
func otype(kind string) string {
	if kind == identity.KindInternal {
		return "internal"
	}
	return "invited"
}

func simpleOrga(co identity.Company) SimpleOrga {
	return SimpleOrga{ID: id(co.ID), Name: co.Name, Type: "orga", OType: otype(co.Kind), State: "ok"}
}

func orga(co identity.Company) Orga {
	return Orga{ID: id(co.ID), Name: co.Name, Type: "orga", OType: otype(co.Kind), State: "ok",
		CreationDate: dateTime(co.CreatedAt), ModificationDate: dateTime(co.CreatedAt)}
}

// flexID is an id in a request body: a string ("12") or a number; "none", "empty" and ""
// clear it (Nobody).
type flexID struct {
	Set   bool  // the field was there
	Value int64 // 0: cleared
	Bad   bool  // not an id
}

func (f *flexID) UnmarshalJSON(b []byte) error {
	f.Set = true
	b = bytes.TrimSpace(b)
	if string(b) == "null" {
		return nil
	}
	var s string
	if len(b) > 0 && b[0] == '"' {
		if err := json.Unmarshal(b, &s); err != nil {
			f.Bad = true
			return nil
		}
	} else {
		s = string(b)
	}
	s = strings.TrimSpace(s)
	switch strings.ToLower(s) {
	case "", "none", "empty":
		return nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		f.Bad = true
		return nil
	}
	f.Value = n
	return nil
}

// clean trims a text of a request and reports a problem with it.
func clean(s string, max int, required bool) (string, string) {
	s = strings.TrimSpace(s)
	if msg := validate.Text(s, max, required); msg != "" {
		if required && s == "" {
			return s, "mandatory"
		}
		if len([]rune(s)) > max {
			return s, "too_long"
		}
		return s, "invalid"
	}
	return s, ""
}
