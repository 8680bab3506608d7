package billing

import "slices"

// Offerings are the six products sold, each a module of the same name.
var Offerings = []string{"planning", "projects", "timesheet", "intranet", "extranet", "files"}

// Quotas a plan sets, by the names the modules' counters use (hooks.Counter).
const (
	QuotaUsers     = "users"
	QuotaProjects  = "projects"
	QuotaStorage   = "storage_bytes"
	QuotaAssignees = "assignees" // parallel assignees of one task
	QuotaPlugins   = "plugins"
)

// QuotaNames are the quotas in the order pages show them.
var QuotaNames = []string{QuotaUsers, QuotaProjects, QuotaStorage, QuotaAssignees, QuotaPlugins}

// Unlimited is a quota's limit when the plan sets none.
const Unlimited int64 = -1

// Currencies are the currencies accounts are billed in, each with a price list of its own in
// every plan (a price set for its market, as a real product does, not a conversion of the
// EUR price at the day's rate: an invoice never depends on an exchange rate). EUR is the
// default: an account whose currency is not among them is billed in EUR.
var Currencies = []string{"EUR", "USD", "GBP", "CHF"}

// DefaultCurrency is the currency of Plan.Prices, and of an account whose own is not supported.
const DefaultCurrency = "EUR"

// supported says whether accounts may be billed in currency.
func supported(currency string) bool { return slices.Contains(Currencies, currency) }

// billingCurrency is the currency an account is billed in: its own when supported, else EUR.
func billingCurrency(accountCurrency string) string {
	if supported(accountCurrency) {
		return accountCurrency
	}
	return DefaultCurrency
}

// Price is an offering's monthly price in a plan, in minor units of EUR: per seat (user) or
// flat for the account. The other currencies' amounts are the plan's Lists.
type Price struct {
	Minor   int64 `json:"minor"`
	PerSeat bool  `json:"per_seat"`
}

// Plan is an edition: its quotas and the monthly price of each offering.
type Plan struct {
	Key    string           `json:"key"`
	Rank   int              `json:"rank"` // plans are ordered: a higher rank lifts the lower's quotas
	Quotas map[string]int64 `json:"quotas"`
	Prices map[string]Price `json:"prices"`
	// Lists are the monthly prices in the other currencies (Currencies but EUR): currency →
	// offering → minor units of that currency; per seat or flat as Prices says.
	Lists map[string]map[string]int64 `json:"price_lists"`
}

// In is the plan priced in currency: Prices from its list (EUR: the plan as it is). A
// currency without a list, or an offering missing from one, is priced as in EUR — never
// reached for a catalogue saved through SavePlan, which requires every list whole.
func (p Plan) In(currency string) Plan {
	list, ok := p.Lists[currency]
	if currency == DefaultCurrency || !ok {
		return p
	}
	prices := make(map[string]Price, len(p.Prices))
	for o, pr := range p.Prices {
		if m, ok := list[o]; ok {
			pr.Minor = m
		}
		prices[o] = pr
	}
	p.Prices = prices
	return p
}

const (
	gib = int64(1) << 30
	tib = int64(1) << 40
)

// TrialPlan is the plan of an account in its trial: every offering, the team plan's quotas.
const TrialPlan = "trial"

// TrialDays is the trial's length.
const TrialDays = 30

// Catalogue is the seeded default catalogue. Prices are EUR cents, excluding VAT; Lists the
// same in USD, GBP and CHF cents (set for each market, excluding VAT).
var Catalogue = []Plan{
	{Key: "starter", Rank: 1,
		Quotas: map[string]int64{QuotaUsers: 5, QuotaProjects: 10, QuotaStorage: 5 * gib, QuotaAssignees: 3, QuotaPlugins: 0},
		Prices: map[string]Price{"planning": {400, true}, "projects": {500, true}, "timesheet": {300, true},
			"intranet": {900, false}, "extranet": {1500, false}, "files": {200, true}},
		Lists: map[string]map[string]int64{
			"USD": {"planning": 500, "projects": 600, "timesheet": 400, "intranet": 1000, "extranet": 1700, "files": 250},
			"GBP": {"planning": 350, "projects": 450, "timesheet": 250, "intranet": 800, "extranet": 1300, "files": 175},
			"CHF": {"planning": 400, "projects": 500, "timesheet": 300, "intranet": 900, "extranet": 1500, "files": 200}}},
	{Key: "team", Rank: 2,
		Quotas: map[string]int64{QuotaUsers: 50, QuotaProjects: 200, QuotaStorage: 100 * gib, QuotaAssignees: 10, QuotaPlugins: 5},
		Prices: map[string]Price{"planning": {700, true}, "projects": {900, true}, "timesheet": {500, true},
			"intranet": {2900, false}, "extranet": {4900, false}, "files": {400, true}},
		Lists: map[string]map[string]int64{
			"USD": {"planning": 800, "projects": 1000, "timesheet": 600, "intranet": 3200, "extranet": 5400, "files": 450},
			"GBP": {"planning": 600, "projects": 800, "timesheet": 450, "intranet": 2500, "extranet": 4200, "files": 350},
			"CHF": {"planning": 700, "projects": 900, "timesheet": 500, "intranet": 2900, "extranet": 4900, "files": 400}}},
	{Key: "business", Rank: 3,
		Quotas: map[string]int64{QuotaUsers: Unlimited, QuotaProjects: Unlimited, QuotaStorage: 1 * tib, QuotaAssignees: 50, QuotaPlugins: Unlimited},
		Prices: map[string]Price{"planning": {1100, true}, "projects": {1400, true}, "timesheet": {800, true},
			"intranet": {7900, false}, "extranet": {9900, false}, "files": {700, true}},
		Lists: map[string]map[string]int64{
			"USD": {"planning": 1200, "projects": 1500, "timesheet": 900, "intranet": 8700, "extranet": 10900, "files": 800},
			"GBP": {"planning": 950, "projects": 1200, "timesheet": 700, "intranet": 6900, "extranet": 8500, "files": 600},
			"CHF": {"planning": 1100, "projects": 1400, "timesheet": 800, "intranet": 7900, "extranet": 9900, "files": 700}}},
}

// Catalog is a catalogue of plans, in rank order: the defaults (Catalogue) or the one in force
// once the platform admin edited it (Service.plans).
type Catalog []Plan

// Of is the plan named key; the trial has the team plan's quotas and no price.
func (c Catalog) Of(key string) (Plan, bool) {
	if key == TrialPlan {
		p, _ := c.Of("team")
		return Plan{Key: TrialPlan, Quotas: p.Quotas, Prices: map[string]Price{}, Lists: map[string]map[string]int64{}}, true
	}
	for _, p := range c {
		if p.Key == key {
			return p, true
		}
	}
	return Plan{}, false
}

// PlanOf is the plan named key in the default catalogue.
func PlanOf(key string) (Plan, bool) { return Catalog(Catalogue).Of(key) }

// within says whether used+add fits limit.
func within(limit, used, add int64) bool { return limit == Unlimited || used+add <= limit }

// Lifting is the first plan of the catalogue whose quota fits used+add ("" for none).
func (c Catalog) Lifting(quota string, used, add int64) string {
	for _, p := range c {
		if within(p.Quotas[quota], used, add) {
			return p.Key
		}
	}
	return ""
}

// MonthlyMinor is the monthly price of offerings for seats in plan.
func (p Plan) MonthlyMinor(offerings []string, seats int64) int64 {
	var sum int64
	for _, o := range offerings {
		pr := p.Prices[o]
		if pr.PerSeat {
			sum += pr.Minor * seats
		} else {
			sum += pr.Minor
		}
	}
	return sum
}

// isOffering says whether name is a sold offering (a module name).
func isOffering(name string) bool { return slices.Contains(Offerings, name) }
