package timesheet

import (
	"context"
	"strconv"

	"groupcamp/core/actor"
	"groupcamp/core/web"
	projects "groupcamp/modules/projects/contract"
)

// maxSplitOptions bounds the "add a row" choices that split a project by category (projects
// times project categories), so the select stays usable.
const maxSplitOptions = 300

// categoryOptions are the grid's "add a row" choices a category gives: each project the
// person logs time on split by each project category ("Website › Design"), then the
// administrative categories — leaving out the rows shown already.
func categoryOptions(ts []projects.TimeTarget, cats []Category, shown map[RowKey][]int) []option {
	var out []option
	for _, tg := range ts {
		if tg.TaskID != 0 {
			continue
		}
		for _, ct := range cats {
			k := RowKey{ProjectID: tg.ProjectID, CategoryID: ct.ID}
			if _, ok := shown[k]; !ok && ct.Kind == KindProject && len(out) < maxSplitOptions {
				out = append(out, option{k.String(), entryLabel(tg.ProjectName, "", ct.Name)})
			}
		}
	}
	for _, ct := range cats {
		k := RowKey{CategoryID: ct.ID}
		if _, ok := shown[k]; !ok && ct.Kind != KindProject {
			out = append(out, option{k.String(), ct.Name})
		}
	}
	return out
}

// categoryTargets add the account's project categories to the choices of a budget line's
// target ("c3": the project's time of that category).
func (h *handlers) categoryTargets(ctx context.Context, a *actor.Actor, p *web.Page, targets [][2]string) ([][2]string, error) {
	cats, err := h.svc.store.categories(ctx, h.svc.tenant(a.AccountID()), false, pageAll)
	if err != nil {
		return nil, err
	}
	for _, c := range cats {
		if c.Kind == KindProject {
			targets = append(targets, [2]string{"c" + strconv.FormatInt(c.ID, 10), p.T("timesheet.categories.budget_target", "Category", c.Name)})
		}
	}
	return targets, nil
}
