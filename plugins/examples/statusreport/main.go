// Command statusreport is an example GroupCamp plugin: an extranet section ("status") that
// shows each active project's progress per milestone — the tasks done of the task lists that
// belong to it — read through the Host API (capabilities projects.read and tasks.read).
// It also answers GET /{slug}/x/status-report/progress.json with the same report as JSON, and
// shows the rest of the Host API (files, people, comments, notifications) over its endpoint
// (api.go).
// Its manifest is plugin.json beside this file (the sha256 is filled in at install).
package main

import (
	"context"
	"encoding/json"

	"groupcamp/plugins/sdk"
)

func main() { sdk.Serve(New()) }

// New is the plugin; main serves it, the tests run it in sdktest.
func New() *sdk.Plugin {
	return &sdk.Plugin{Name: "status-report", Version: "1.0.0", Section: section, HTTP: serve}
}

func serve(ctx context.Context, _ sdk.Call, req sdk.Request, host sdk.Host) (sdk.Response, error) {
	if res, ok, err := api(ctx, req, host); ok {
		return res, err
	}
	if req.Method != "GET" || req.Path != "/progress.json" {
		return sdk.Response{Status: 404, Body: []byte("not found")}, nil
	}
	report, err := collect(ctx, host)
	if err != nil {
		return sdk.Response{}, err
	}
	b, err := json.Marshal(report)
	return sdk.Response{Status: 200, Header: map[string]string{"Content-Type": "application/json"}, Body: b}, err
}

// maxProjects bounds the report: a section is a glance, not a list.
const maxProjects = 10

func section(ctx context.Context, call sdk.Call, _ string, host sdk.Host) (string, error) {
	report, err := collect(ctx, host)
	if err != nil {
		return "", err
	}
	return render(call.Lang, report)
}

// collect reads the active projects' progress through the Host API.
func collect(ctx context.Context, host sdk.Host) ([]projectReport, error) {
	projects, err := host.Projects(ctx)
	if err != nil {
		return nil, err
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
			return nil, err
		}
		tasks, err := host.Tasks(ctx, p.ID)
		if err != nil {
			return nil, err
		}
		report = append(report, progress(p, milestones, tasks))
	}
	return report, nil
}
