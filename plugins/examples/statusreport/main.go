// Command statusreport is an example GroupCamp plugin: an extranet section ("status") that
// shows each active project's progress per milestone — the tasks done of the task lists that
// belong to it — read through the Host API (capabilities projects.read and tasks.read).
// Its manifest is plugin.json beside this file (the sha256 is filled in at install).
package main

import (
	"context"

	"groupcamp/plugins/sdk"
)

func main() { sdk.Serve(New()) }

// New is the plugin; main serves it, the tests run it in sdktest.
func New() *sdk.Plugin {
	return &sdk.Plugin{Name: "status-report", Version: "1.0.0", Section: section}
}

// maxProjects bounds the report: a section is a glance, not a list.
const maxProjects = 10

func section(ctx context.Context, call sdk.Call, _ string, host sdk.Host) (string, error) {
	projects, err := host.Projects(ctx)
	if err != nil {
		return "", err
	}
	var report []projectReport
	for _, p := range projects {
		if !p.Active {
			continue
		}
		if len(report) == maxProjects {
			break
		}
		milestones, err := host.Milestones(ctx, p.ID)
		if err != nil {
			return "", err
		}
		tasks, err := host.Tasks(ctx, p.ID)
		if err != nil {
			return "", err
		}
		report = append(report, progress(p, milestones, tasks))
	}
	return render(call.Lang, report)
}
