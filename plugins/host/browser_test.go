package host_test

import (
	"os"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// TestBrowserPlugins: an admin opens Plugins from the administration menu, reads what the
// status report asks for, enables it and the deliberately bad plugin; the client then opens
// the portal's plugin page and reads the report of their project, with the bad plugin's
// sections shown as unavailable (the page itself fine).
func TestBrowserPlugins(t *testing.T) {
	t.Parallel()
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	o := newOffice(t, e)
	admin := e.NewUser(o.acc, actor.RoleAdmin)
	tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en", Shots: shots})
	tab.Go("/login")
	tab.Fill("Email", admin.Email)
	tab.Fill("Password", admin.Password)
	tab.Submit("Sign in")
	tab.Go("/" + o.acc.Slug)
	tab.Nav("Plugins")
	// The webhook forwarder's settings form is made from its manifest's JSON Schema.
	tab.WantText("status-report", "Projects and milestones", "Client portal section: Project status", "Not running", "Receiver URL", "Retries per delivery", "Forward events")
	// A refused settings form: the message is next to the field, and the summary's link takes
	// the keyboard to it.
	tab.Fill("Receiver URL (required)", "https://hooks.example.com/in")
	tab.Fill("Signing secret", "short")
	tab.Submit("Enable webhook-forwarder")
	tab.WaitText("The settings were not saved: correct the fields below.", "Signing secret: must be at least 8 characters")
	tab.WantText("must be at least 8 characters")
	tab.Screenshot("plugins-settings-refused")
	browser.Evaluate[bool](tab, "follow the summary's link", `(() => { const a = document.querySelector('#errors-webhook-forwarder a[href="#s-webhook-forwarder-secret"]'); a.focus(); a.click(); return true; })()`)
	tab.WaitFor("the field focused", `document.activeElement && document.activeElement.id === "s-webhook-forwarder-secret"`)
	tab.Submit("Enable status-report")
	tab.WaitText("The plugin is enabled for the account.")
	tab.Submit("Enable bad")
	tab.WaitText("The plugin is enabled for the account.")
	tab.Screenshot("plugins-admin")

	cli := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en", Shots: shots})
	cli.Go("/login")
	cli.Fill("Email", o.cli.Email)
	cli.Fill("Password", o.cli.Password)
	cli.Submit("Sign in")
	cli.Go("/" + o.acc.Slug + "/portal/plugins")
	cli.WantText("More from our partners", "Project status", "Website", "Launch", "1/2", "This section is unavailable right now.")
	cli.Screenshot("plugins-portal")
}
