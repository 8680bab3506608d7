package web

import "testing"

func TestLocalPath(t *testing.T) {
	t.Parallel()
	ok := []string{
		"/",
		"/acme",
		"/acme/projects/12/tasks?view=board&q=caf%C3%A9",
		"/acme/tasks/3#comments",
		"/acme/projects/12/gantt?scale=week",
		"/acme/search?q=a%2Fb", // an encoded slash in the query is data
		"/acme/caf%C3%A9",
		"/login?next=%2Facme",
	}
	bad := []string{
		"",
		"acme",                   // relative to the current path
		"//evil.test",            // scheme-relative: another host
		"///evil.test",           // idem
		"/\t/evil.test",          // browsers drop the tab: //evil.test
		"/\n/evil.test",          // idem, newline
		"/\r\n/evil.test",        // and a header split
		"\t//evil.test",          // leading tab
		"/\\evil.test",           // a backslash is a slash to browsers
		"/\\/evil.test",          //
		"\\\\evil.test",          //
		"/acme\\..\\..\\x",       // backslash anywhere
		"/%09/evil.test",         // encoded tab
		"/%2F/evil.test",         // encoded slash: decodes to ///evil.test
		"/%2f%2fevil.test",       //
		"/%5Cevil.test",          // encoded backslash
		"/%5c%5cevil.test",       //
		"/%252F%252Fevil.test",   // encoded twice
		"/%25252F%25252Fevil.te", // three times
		"/%0d%0aSet-Cookie:x=1",  // header injection once decoded
		"/%zz",                   // malformed escape
		"http://evil.test",       // absolute
		"https:/evil.test",       //
		"javascript:alert(1)",    //
		"data:text/html,x",       //
		"/acme//evil.test",       // a double slash in the path
		"/ /evil.test",           // spaces
		"/\u00a0/evil.test",      // a no-break space
		"/\u200b/evil.test",      // a zero-width space (format character)
		"/\x7f/evil.test",        // DEL
		"/\xff",                  // not UTF-8
		"/" + string(make([]byte, MaxLocalPath)),
	}
	for _, s := range ok {
		if !LocalPath(s) {
			t.Errorf("LocalPath(%q) = false, want true", s)
		}
		if got := SafeNext(s, "/fallback"); got != s {
			t.Errorf("SafeNext(%q) = %q", s, got)
		}
	}
	for _, s := range bad {
		if LocalPath(s) {
			t.Errorf("LocalPath(%q) = true, want false", s)
		}
		if got := SafeNext(s, "/fallback"); got != "/fallback" {
			t.Errorf("SafeNext(%q) = %q, want the fallback", s, got)
		}
	}
}
