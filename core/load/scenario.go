package load

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Module is what a business module contributes to the load tool: how to seed its data at the
// chosen size, and the requests that exercise it. cmd/gcload lists the modules explicitly.
type Module struct {
	// Name identifies the module in progress messages ("projects").
	Name string
	// Seed creates the module's data in env's account, after the core seed (people, teams,
	// tokens) and after the modules listed before it. It runs once, before any worker starts.
	// In-process (env.App != nil) it should call the module's services directly; against a
	// running server (-url) it goes through the HTTP API (env.API). It keeps what scenarios need
	// (ids to read, to update) with env.Set. Nil: nothing to seed.
	Seed func(ctx context.Context, env *Env) error
	// Scenarios are the module's requests.
	Scenarios []Scenario
}

// Scenario is one kind of request in the mix.
type Scenario struct {
	// Name is the short key used by -scenarios and as the row of the report ("tasks.page").
	Name string
	// Endpoint describes the request in the report ("GET /api/v1/{slug}/projects/{id}/tasks?limit=50").
	Endpoint string
	// Weight is the scenario's share of the default mix (relative to the others); 0 leaves it
	// out unless -scenarios names it.
	Weight int
	// Role is the role whose token the request carries. Empty: the run's role (-role), which is
	// what the targets are measured as. Set it when the endpoint needs a capability the run's
	// role may not have (creating a team needs an admin).
	Role string
	// Run issues one request through w (w.Get, w.Post, ...), which the driver times and
	// records under this scenario. A non-2xx answer or a transport error counts as an error
	// by itself; return an error for a failed check of an answer that was 2xx (a body that
	// does not parse), which also counts as an error. Run is called from one worker at a time
	// with that worker's state; it must not keep w's response past its return.
	Run func(ctx context.Context, w *Worker) error
}

// mixEntry is a chosen scenario and its weight.
type mixEntry struct {
	Scenario
	weight int
}

// chooseMix builds the mix from the modules' scenarios and a spec "name=weight,name,...": an
// empty spec takes every scenario with a positive default weight; a name without a weight
// takes its default weight (1 when that is 0). Unknown names are an error that lists the
// known ones.
func chooseMix(modules []Module, spec string) ([]mixEntry, error) {
	var all []Scenario
	byName := map[string]Scenario{}
	for _, m := range modules {
		for _, s := range m.Scenarios {
			if _, dup := byName[s.Name]; dup {
				return nil, fmt.Errorf("scenario %q is declared twice (module %s)", s.Name, m.Name)
			}
			if s.Run == nil || s.Name == "" {
				return nil, fmt.Errorf("module %s: a scenario needs a name and a Run func", m.Name)
			}
			byName[s.Name] = s
			all = append(all, s)
		}
	}
	var mix []mixEntry
	if strings.TrimSpace(spec) == "" {
		for _, s := range all {
			if s.Weight > 0 {
				mix = append(mix, mixEntry{s, s.Weight})
			}
		}
	} else {
		seen := map[string]bool{}
		for _, part := range strings.Split(spec, ",") {
			part = strings.TrimSpace(part)
			if part == "" {
				continue
			}
			name, w, hasWeight := strings.Cut(part, "=")
			s, ok := byName[name]
			if !ok {
				return nil, fmt.Errorf("unknown scenario %q; known: %s", name, strings.Join(names(all), ", "))
			}
			if seen[name] {
				return nil, fmt.Errorf("scenario %q is named twice", name)
			}
			seen[name] = true
			weight := s.Weight
			if hasWeight {
				n, err := strconv.Atoi(w)
				if err != nil || n < 0 {
					return nil, fmt.Errorf("scenario %q: weight must be a whole number >= 0, got %q", name, w)
				}
				weight = n
			} else if weight == 0 {
				weight = 1
			}
			if weight > 0 {
				mix = append(mix, mixEntry{s, weight})
			}
		}
	}
	if len(mix) == 0 {
		return nil, fmt.Errorf("no scenario to run; known: %s", strings.Join(names(all), ", "))
	}
	return mix, nil
}

func names(ss []Scenario) []string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = s.Name
	}
	sort.Strings(out)
	return out
}

// picker draws scenarios in proportion to their weights.
type picker struct {
	cum   []int // cumulative weights
	total int
}

func newPicker(mix []mixEntry) picker {
	p := picker{cum: make([]int, len(mix))}
	for i, m := range mix {
		p.total += m.weight
		p.cum[i] = p.total
	}
	return p
}

// pick maps r in [0, total) to a scenario index.
func (p picker) pick(r int) int {
	return sort.SearchInts(p.cum, r+1)
}
