package personal

import "testing"

func TestScrub(t *testing.T) {
	n := Needles{Emails: []string{"ann.lee@example.test"}, Names: []string{"Ann Lee", `Jo "JJ" Ray`, "Юлия Орлова"}}
	for _, c := range []struct{ in, want string }{
		{"Assigned by Ann Lee.", "Assigned by —."},
		{"ANN LEE and ann lee", "— and —"},
		{"Annual Lee-way, Ann Leeway", "Annual Lee-way, Ann Leeway"}, // not whole words
		{"mail ann.lee@example.test or @Ann Lee", "mail — or @—"},
		{"joann.lee@example.test", "joann.lee@example.test"}, // a longer address
		{`{"user":"ann.lee@example.test","name":"Jo \"JJ\" Ray"}`, `{"user":"—","name":"—"}`},
		{"Спасибо, юлия орлова!", "Спасибо, —!"},
		{"", ""},
	} {
		if got, _ := n.Scrub(c.in); got != c.want {
			t.Errorf("Scrub(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	if _, changed := n.Scrub("nothing here"); changed {
		t.Error("Scrub changed a text that does not name her")
	}
	if got := n.OthersRedacted("from ann.lee@example.test to bob@example.test"); got != "from ann.lee@example.test to —" {
		t.Errorf("OthersRedacted = %q", got)
	}
}

func TestNeedlesIgnoreOneLetterNames(t *testing.T) {
	var n Needles
	n.add(" Ann@Example.test ", "A")
	n.add("ann@example.test", "ann lee")
	n.add("", "Ann Lee")
	if len(n.Emails) != 1 || n.Emails[0] != "ann@example.test" || len(n.Names) != 1 {
		t.Errorf("needles: %+v", n)
	}
}
