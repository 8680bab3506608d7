package timesheet

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"groupcamp/core/actor"
	"groupcamp/core/db"
	"groupcamp/core/problem"
	projects "groupcamp/modules/projects/contract"
)

// RowKey names a row of the weekly grid: a project ("p12"), a task of it ("p12t5"), either
// with a project category ("p12c3", "p12t5c3"), or an administrative category ("c3").
type RowKey struct {
	ProjectID, TaskID, CategoryID int64
}

// String is the key as the grid's form writes it.
func (k RowKey) String() string {
	var out string
	if k.ProjectID != 0 {
		out = "p" + strconv.FormatInt(k.ProjectID, 10)
		if k.TaskID != 0 {
			out += "t" + strconv.FormatInt(k.TaskID, 10)
		}
	}
	if k.CategoryID != 0 {
		out += "c" + strconv.FormatInt(k.CategoryID, 10)
	}
	return out
}

// ParseRowKey reads a row key; ok is false for anything else.
func ParseRowKey(s string) (RowKey, bool) {
	id := func(s string) (int64, bool) {
		if s == "" || len(s) > 18 || strings.Trim(s, "0123456789") != "" {
			return 0, false
		}
		n, err := strconv.ParseInt(s, 10, 64)
		return n, err == nil && n > 0
	}
	switch {
	case strings.HasPrefix(s, "c"):
		c, ok := id(s[1:])
		return RowKey{CategoryID: c}, ok
	case strings.HasPrefix(s, "p"):
		var k RowKey
		rest, c, hasCat := strings.Cut(s[1:], "c")
		if hasCat {
			var ok bool
			if k.CategoryID, ok = id(c); !ok {
				return RowKey{}, false
			}
		}
		p, t, hasTask := strings.Cut(rest, "t")
		var ok bool
		if k.ProjectID, ok = id(p); !ok {
			return RowKey{}, false
		}
		if hasTask {
			if k.TaskID, ok = id(t); !ok {
				return RowKey{}, false
			}
		}
		return k, true
	}
	return RowKey{}, false
}

// KeyOf is the row of an entry.
func KeyOf(e *Entry) RowKey {
	var k RowKey
	if e.CategoryID != nil {
		k.CategoryID = *e.CategoryID
	}
	if e.ProjectID != nil {
		k.ProjectID = *e.ProjectID
	}
	if e.TaskID != nil {
		k.TaskID = *e.TaskID
	}
	return k
}

// GridCell is one cell of a saved grid: the minutes of a row on a day of the week (0: none).
type GridCell struct {
	Row   RowKey
	Day   int // 0 Monday .. 6 Sunday
	Field string
	// Minutes is what the cell says the row's time on that day is.
	Minutes int
}

// SaveGrid makes a person's week say what the grid says: for each cell whose total differs
// from the time logged, the cell's entries change (one entry adjusted, created or deleted;
// the others of the cell kept). All or nothing, in one transaction; the week must be open
// (409 otherwise) and no day may pass 24 hours. Errors name the cells' fields.
func (s *Service) SaveGrid(ctx context.Context, a *actor.Actor, userID int64, week string, cells []GridCell) error {
	tn := s.tenant(a.AccountID())
	sh, w, _, err := s.weekSheet(ctx, tn, a, userID, week)
	if err != nil {
		return err
	}
	days := w.Days()
	uid := sh.person.UserID
	person := sh.personActor(a)
	var f problem.Fields
	// Every row that gets more time is checked once (its project or category).
	checked := map[RowKey]bool{}
	billable := map[RowKey]bool{}
	return tn.RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		now := s.now()
		row, err := s.store.lockWeek(ctx, tn, uid, w.String(), now)
		if err != nil {
			return err
		}
		if row.State == StateSubmitted || row.State == StateApproved {
			return problem.Conflict("week", "the week "+w.String()+" is "+row.State+": its time cannot change")
		}
		lockedBefore, err := s.store.lockedBefore(ctx, tn)
		if err != nil {
			return err
		}
		es, err := s.store.weekEntries(ctx, tn, uid, days[0], days[6])
		if err != nil {
			return err
		}
		type slot struct {
			row RowKey
			day int
		}
		have := map[slot][]*Entry{}
		dayTotal := make([]int, 7)
		for i := range es {
			e := &es[i]
			d := slices.Index(days, e.Date)
			have[slot{KeyOf(e), d}] = append(have[slot{KeyOf(e), d}], e)
			dayTotal[d] += e.Minutes
		}
		var grow []GridCell
		before := slices.Clone(dayTotal)
		for _, c := range cells {
			if c.Day < 0 || c.Day > 6 {
				continue
			}
			cur := have[slot{c.Row, c.Day}]
			sum := 0
			for _, e := range cur {
				sum += e.Minutes
			}
			if sum == c.Minutes {
				continue
			}
			if !sh.mayChange(c.Row.ProjectID) {
				f.Add(c.Field, "is not on a project you lead: you may not change this person's time there")
				continue
			}
			if days[c.Day] < lockedBefore {
				return lockConflict(c.Field, lockedBefore)
			}
			dayTotal[c.Day] += c.Minutes - sum
			if c.Minutes > sum && !checked[c.Row] {
				checked[c.Row] = true
				e := Entry{ProjectID: idOrNil(c.Row.ProjectID), TaskID: idOrNil(c.Row.TaskID), CategoryID: idOrNil(c.Row.CategoryID)}
				var rf problem.Fields
				if err := s.target(ctx, tn, person, &e, nil, &rf); err != nil {
					return err
				}
				if err := rf.Err(); err != nil {
					pr, _ := problem.As(err)
					f.Add(c.Field, pr.Errors[0].Message)
					continue
				}
				billable[c.Row] = e.Billable
			}
			grow = append(grow, c)
			// Shrink: the last entries of the cell give back their time first.
			left := c.Minutes
			for _, e := range cur {
				switch {
				case left >= e.Minutes && e != cur[len(cur)-1]:
					left -= e.Minutes
				case left <= 0:
					if err := s.store.deleteEntry(ctx, tn, e); err != nil {
						return err
					}
				default:
					e.Minutes, e.UpdatedAt = left, now
					left = 0
					if err := s.store.saveEntry(ctx, tn, e); err != nil {
						return err
					}
				}
			}
			if len(cur) == 0 && c.Minutes > 0 {
				e := &Entry{AccountID: tn.AccountID, UserID: &uid, Date: days[c.Day], Minutes: c.Minutes, ProjectID: idOrNil(c.Row.ProjectID),
					TaskID: idOrNil(c.Row.TaskID), CategoryID: idOrNil(c.Row.CategoryID), Billable: billable[c.Row], CreatedAt: now, UpdatedAt: now}
				if err := s.store.insertEntry(ctx, tn, e); err != nil {
					return err
				}
			}
		}
		var tasks []*int64
		for _, c := range grow {
			tasks = append(tasks, idOrNil(c.Row.TaskID))
		}
		if err := s.checkEstimates(ctx, tn, a, tasks...); err != nil {
			return err
		}
		for d, total := range dayTotal {
			if total > MaxDayMinutes {
				for _, c := range grow {
					if c.Day == d {
						f.Add(c.Field, fmt.Sprintf("makes more than 24 hours on %s", days[d]))
					}
				}
			}
		}
		if err := s.gridCaps(ctx, tn, uid, w, dayTotal, before, grow, &f); err != nil {
			return err
		}
		return f.Err()
	})
}

// GridTargets are what the person may add as a row: the projects they see and their open
// tasks, then the account's categories.
func (s *Service) GridTargets(ctx context.Context, a *actor.Actor, userID int64) ([]projects.TimeTarget, []Category, error) {
	tn := s.tenant(a.AccountID())
	sh, err := s.reach(ctx, tn, a, userID)
	if err != nil {
		return nil, nil, err
	}
	ts, err := s.Targets.Get().Targets(ctx, sh.personActor(a), 500)
	if err != nil {
		return nil, nil, err
	}
	if !sh.full {
		ts = slices.DeleteFunc(ts, func(t projects.TimeTarget) bool { return !slices.Contains(sh.led, t.ProjectID) })
	}
	cats, err := s.store.categories(ctx, tn, false, "", pageAll)
	if err != nil {
		return nil, nil, err
	}
	if !sh.full {
		// A project's leader splits its time by project category; the rest is not theirs.
		cats = slices.DeleteFunc(cats, func(c Category) bool { return c.Kind != KindProject })
	}
	return ts, cats, nil
}

// RowNames are the labels of rows, dropping the keys that name nothing of the account.
func (s *Service) RowNames(ctx context.Context, accountID int64, keys []RowKey) (map[RowKey]string, error) {
	tn := s.tenant(accountID)
	var pids, tids, cids []int64
	for _, k := range keys {
		if k.CategoryID != 0 {
			cids = append(cids, k.CategoryID)
		}
		if k.ProjectID != 0 {
			pids = append(pids, k.ProjectID)
			if k.TaskID != 0 {
				tids = append(tids, k.TaskID)
			}
		}
	}
	names, err := s.Targets.Get().Names(ctx, accountID, pids, tids)
	if err != nil {
		return nil, err
	}
	cats, err := s.store.categoryNames(ctx, tn, cids)
	if err != nil {
		return nil, err
	}
	out := map[RowKey]string{}
	for _, k := range keys {
		p, okP := names.Projects[k.ProjectID]
		t, okT := names.Tasks[k.TaskID]
		c, okC := cats[k.CategoryID]
		if (k.ProjectID != 0 && !okP) || (k.TaskID != 0 && !okT) || (k.CategoryID != 0 && !okC) {
			continue // a key that names something not of the account
		}
		out[k] = entryLabel(p, t, c)
	}
	return out, nil
}

// PreviousRows are the rows of a person's week before week (for "copy last week's rows").
func (s *Service) PreviousRows(ctx context.Context, a *actor.Actor, userID int64, week string) ([]RowKey, error) {
	w, ok := ParseWeek(week)
	if !ok {
		return nil, problem.NotFound()
	}
	tn := s.tenant(a.AccountID())
	sh, _, es, err := s.weekSheet(ctx, tn, a, userID, w.Prev().String())
	if err != nil {
		if problemStatus(err) == 404 && sh == nil {
			return nil, nil
		}
		return nil, err
	}
	var out []RowKey
	for i := range es {
		if k := KeyOf(&es[i]); !slices.Contains(out, k) && sh.mayChange(k.ProjectID) {
			out = append(out, k)
		}
	}
	return out, nil
}
