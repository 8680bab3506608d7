package main

import (
	"bytes"
	"html/template"

	"groupcamp/plugins/sdk"
)

// projectReport is one project's progress per milestone.
type projectReport struct {
	Name  string `json:"name"`
	Lines []line `json:"milestones"`
}

// line is one milestone (or the tasks under none): done of total.
type line struct {
	Name    string `json:"name"` // "" for the tasks under no milestone
	DueOn   string `json:"due_on,omitempty"`
	Done    int    `json:"done"`
	Total   int    `json:"total"`
	Percent int    `json:"percent"`
}

func progress(p sdk.Project, milestones []sdk.Milestone, tasks []sdk.Task) projectReport {
	r := projectReport{Name: p.Name}
	idx := map[int64]int{}
	for _, m := range milestones {
		idx[m.ID] = len(r.Lines)
		r.Lines = append(r.Lines, line{Name: m.Name, DueOn: m.DueOn})
	}
	none := -1
	for _, t := range tasks {
		i, ok := idx[t.MilestoneID]
		if !ok {
			if none < 0 {
				none = len(r.Lines)
				r.Lines = append(r.Lines, line{})
			}
			i = none
		}
		r.Lines[i].Total++
		if t.Status == "done" {
			r.Lines[i].Done++
		}
	}
	for i := range r.Lines {
		if r.Lines[i].Total > 0 {
			r.Lines[i].Percent = r.Lines[i].Done * 100 / r.Lines[i].Total
		}
	}
	return r
}

// words are the section's few words, per language the host asks in.
var words = map[string]map[string]string{
	"en": {"none": "No milestone", "empty": "No active project.", "done": "done", "due": "due"},
	"fr": {"none": "Sans jalon", "empty": "Aucun projet actif.", "done": "terminées", "due": "échéance"},
	"ru": {"none": "Без вехи", "empty": "Нет активных проектов.", "done": "готово", "due": "срок"},
}

var page = template.Must(template.New("report").Parse(`{{if not .Report}}<p>{{.W.empty}}</p>{{end}}
{{range .Report}}<h3>{{.Name}}</h3>
<table><tbody>{{range .Lines}}<tr><td>{{if .Name}}{{.Name}}{{else}}{{$.W.none}}{{end}}{{if .DueOn}} ({{$.W.due}} {{.DueOn}}){{end}}</td>
<td><progress max="100" value="{{.Percent}}">{{.Percent}}%</progress></td><td>{{.Done}}/{{.Total}} {{$.W.done}}</td></tr>{{end}}</tbody></table>
{{end}}`))

func render(lang string, report []projectReport) (string, error) {
	w, ok := words[lang]
	if !ok {
		w = words["en"]
	}
	var b bytes.Buffer
	err := page.Execute(&b, map[string]any{"Report": report, "W": w})
	return b.String(), err
}
