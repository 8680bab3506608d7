package billing

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/problem"
)

// The catalogue the platform admin edits: the plans' quotas and monthly prices. The defaults
// (Catalogue) stand until a plan is edited; an edited plan is a row of billing_plans (its
// quotas and prices as JSON) laid over its default. The plans themselves — their keys and
// ranks — are fixed: starter, team, business. A change applies from the next invoice and
// the next quota check of every account on the plan (no price is kept per subscription).
//
// Every quota check asks for the catalogue, so it is kept for planTTL; a write to
// billing_plans in this process drops it (db.Watch), another instance's shows within planTTL.

const planTTL = 5 * time.Second

// MaxPrice bounds an offering's monthly price (10^7 cents: a hundred thousand euros).
const MaxPrice = int64(1e7)

type planBook struct {
	mu      sync.Mutex
	gen     uint64
	cat     Catalog
	expires time.Time
}

// drop forgets the catalogue (billing_plans changed).
func (b *planBook) drop() {
	b.mu.Lock()
	b.gen++
	b.cat = nil
	b.mu.Unlock()
}

// plans is the catalogue in force: the defaults with the platform admin's edits.
func (s *Service) plans(ctx context.Context) (Catalog, error) {
	b := &s.book
	now := time.Now()
	b.mu.Lock()
	cat, gen, fresh := b.cat, b.gen, now.Before(b.expires)
	b.mu.Unlock()
	if cat != nil && fresh {
		return cat, nil
	}
	var rows []struct {
		Plan   string `bun:"plan"`
		Quotas string `bun:"quotas"`
		Prices string `bun:"prices"`
		Lists  string `bun:"lists"`
	}
	if err := s.DB.NewSelect().TableExpr("billing_plans AS b").Column("b.plan", "b.quotas", "b.prices", "b.lists").Scan(ctx, &rows); err != nil {
		return nil, err
	}
	cat = make(Catalog, len(Catalogue))
	for i, p := range Catalogue {
		p.Quotas, p.Prices = maps.Clone(p.Quotas), maps.Clone(p.Prices)
		lists := make(map[string]map[string]int64, len(p.Lists))
		for c, l := range p.Lists {
			lists[c] = maps.Clone(l)
		}
		p.Lists = lists
		cat[i] = p
	}
	for _, r := range rows {
		for i := range cat {
			if cat[i].Key != r.Plan {
				continue
			}
			if err := json.Unmarshal([]byte(r.Quotas), &cat[i].Quotas); err != nil {
				return nil, fmt.Errorf("billing: plan %s: quotas: %w", r.Plan, err)
			}
			if err := json.Unmarshal([]byte(r.Prices), &cat[i].Prices); err != nil {
				return nil, fmt.Errorf("billing: plan %s: prices: %w", r.Plan, err)
			}
			if r.Lists != "" {
				if err := json.Unmarshal([]byte(r.Lists), &cat[i].Lists); err != nil {
					return nil, fmt.Errorf("billing: plan %s: price lists: %w", r.Plan, err)
				}
			}
		}
	}
	b.mu.Lock()
	if b.gen == gen { // not dropped while it was read
		b.cat, b.expires = cat, now.Add(planTTL)
	}
	b.mu.Unlock()
	return cat, nil
}

// planOf is the plan named key in the catalogue in force.
func (s *Service) planOf(ctx context.Context, key string) (Plan, bool, error) {
	cat, err := s.plans(ctx)
	if err != nil {
		return Plan{}, false, err
	}
	p, ok := cat.Of(key)
	return p, ok, nil
}

// PlanInput is PUT /api/v1/platform/billing/plans/{key}: every quota (-1: no limit) and the
// monthly price of every offering.
type PlanInput struct {
	Quotas map[string]int64 `json:"quotas" openapi:"required"`
	Prices map[string]Price `json:"prices" openapi:"required"`
	// PriceLists are the monthly prices in USD, GBP and CHF (currency → offering → minor
	// units), each list whole; absent: the plan's lists stay as they are.
	PriceLists map[string]map[string]int64 `json:"price_lists"`
}

// SavePlan sets a plan's quotas and prices (platform admin): every quota named, each -1 or
// more; every offering priced, from 0 to MaxPrice; an unknown plan is 404. Audited.
func (s *Service) SavePlan(ctx context.Context, a *actor.Actor, key string, in PlanInput) (*Plan, error) {
	if _, ok := Catalog(Catalogue).Of(key); !ok || key == TrialPlan {
		return nil, problem.NotFound()
	}
	var f problem.Fields
	for _, q := range QuotaNames {
		v, ok := in.Quotas[q]
		f.Check(ok && v >= Unlimited, "quotas."+q, "must be a number of 0 or more, or -1 for no limit")
	}
	for q := range in.Quotas {
		f.Check(contains(QuotaNames, q), "quotas", fmt.Sprintf("%q is no quota", q))
	}
	for _, o := range Offerings {
		v, ok := in.Prices[o]
		f.Check(ok && v.Minor >= 0 && v.Minor <= MaxPrice, "prices."+o, fmt.Sprintf("must be a price from 0 to %d cents", MaxPrice))
	}
	for o := range in.Prices {
		f.Check(isOffering(o), "prices", fmt.Sprintf("%q is no offering", o))
	}
	if in.PriceLists == nil {
		cur, _, err := s.planOf(ctx, key)
		if err != nil {
			return nil, err
		}
		in.PriceLists = cur.Lists
	}
	for _, c := range Currencies[1:] {
		list, ok := in.PriceLists[c]
		f.Check(ok, "price_lists."+c, "must price every offering in "+c)
		for _, o := range Offerings {
			if v, has := list[o]; ok && (!has || v < 0 || v > MaxPrice) {
				f.Add("price_lists."+c+"."+o, fmt.Sprintf("must be a price from 0 to %d cents", MaxPrice))
			}
		}
		for o := range list {
			f.Check(isOffering(o), "price_lists."+c, fmt.Sprintf("%q is no offering", o))
		}
	}
	for c := range in.PriceLists {
		f.Check(c != DefaultCurrency && supported(c), "price_lists", fmt.Sprintf("%q is no other currency sold in (%s)", c, strings.Join(Currencies[1:], ", ")))
	}
	if err := f.Err(); err != nil {
		return nil, err
	}
	quotas, _ := json.Marshal(in.Quotas)
	prices, _ := json.Marshal(in.Prices)
	lists, _ := json.Marshal(in.PriceLists)
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if _, err := tx.NewRaw("INSERT INTO billing_plans (plan, quotas, prices, lists, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (plan) DO UPDATE SET quotas = EXCLUDED.quotas, prices = EXCLUDED.prices, lists = EXCLUDED.lists, updated_at = EXCLUDED.updated_at",
			key, string(quotas), string(prices), string(lists), s.now()).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, 0, "billing.plan_changed", key, map[string]string{"quotas": string(quotas), "prices": string(prices), "price_lists": string(lists)})
	})
	if err != nil {
		return nil, err
	}
	p, _, err := s.planOf(ctx, key)
	return &p, err
}
