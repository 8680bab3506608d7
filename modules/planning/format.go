package planning

import "fmt"

// hm writes minutes as hours and minutes ("7:30"), for the pages.
func hm(m int) string {
	sign := ""
	if m < 0 {
		sign, m = "-", -m
	}
	return fmt.Sprintf("%s%d:%02d", sign, m/60, m%60)
}

// signed writes a difference of minutes with its sign ("+1:30", "-0:45", "0:00").
func signed(m int) string {
	if m > 0 {
		return "+" + hm(m)
	}
	return hm(m)
}

// The pages' figures (templates take no module functions: the values format themselves).

func (w WeekLoad) AllocatedH() string { return hm(w.AllocatedMinutes) }
func (w WeekLoad) CapacityH() string  { return hm(w.CapacityMinutes) }
func (w WeekLoad) AbsentH() string    { return hm(w.AbsentMinutes) }
func (w WeekLoad) TaskH() string      { return hm(w.TaskMinutes) }
func (w WeekLoad) BusyH() string      { return hm(w.Busy()) }
func (c Conflict) BusyH() string      { return hm(c.AllocatedMinutes + c.TaskMinutes) }
func (w WeekLoad) OpenH() string      { return hm(w.CapacityMinutes - w.AbsentMinutes) }
func (c Conflict) OverH() string      { return hm(c.OverMinutes) }
func (c Conflict) AllocatedH() string { return hm(c.AllocatedMinutes) }
func (c Conflict) CapacityH() string  { return hm(c.CapacityMinutes) }
func (a Available) FreeH() string     { return hm(a.FreeMinutes) }
func (d FreeDay) H() string           { return hm(d.Minutes) }
func (s FreeSpan) H() string          { return hm(s.Minutes) }
func (w PlanWeek) PlannedH() string   { return hm(w.Planned) }
func (w PlanWeek) ActualH() string    { return hm(w.Actual) }
func (w PlanWeek) DiffH() string      { return signed(w.Diff()) }
func (r PlanRow) PlannedH() string    { return hm(r.Planned) }
func (r PlanRow) ActualH() string     { return hm(r.Actual) }
func (r PlanRow) DiffH() string       { return signed(r.Diff()) }
