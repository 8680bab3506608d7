// Package modules is the list of GroupCamp's modules, used by both binaries (cmd/groupcamp
// and cmd/gcload) and by the walkers' test beside it. Adding a module is one line here; the
// module brings everything else from its own folder (and its migrations). This package is no
// module: it is the one place that names them all.
package modules

import (
	"groupcamp/core/app"
	"groupcamp/modules/admin"
	"groupcamp/modules/billing"
	"groupcamp/modules/extranet"
	"groupcamp/modules/files"
	"groupcamp/modules/gcapi"
	"groupcamp/modules/ical"
	"groupcamp/modules/intranet"
	"groupcamp/modules/people"
	"groupcamp/modules/planning"
	"groupcamp/modules/privacy"
	"groupcamp/modules/projects"
	"groupcamp/modules/sso"
	"groupcamp/modules/timesheet"
	"groupcamp/modules/webhooks"
	"groupcamp/plugins/host"
)

// All returns a fresh value of every module, in the order they register (a module holds its
// service, so each App gets its own).
func All() []app.Module {
	return []app.Module{
		admin.New(),
		projects.New(),
		timesheet.New(),
		planning.New(),
		files.New(),
		ical.New(),
		intranet.New(),
		extranet.New(), // after projects and files, whose ports it asks
		webhooks.New(),
		people.New(), // invitations from a file, through the core's identity service
		sso.New(),
		gcapi.New(),   // after projects and timesheet, whose ports it asks
		billing.New(), // feeds the quota limiter and the module enablement (core/hooks)
		host.New(),    // the plugins module: after projects, whose ports its Host API reads
		// privacy comes last: it runs the others' erasures in reverse order, so it erases its
		// own requests of the person first and the core's login last.
		privacy.New(),
	}
}
