package host

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/automation"
	"groupcamp/core/db"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
	"groupcamp/core/seal"
	"groupcamp/core/validate"
)

// Service is the module's use cases: the account's choices about plugins, and the calls to
// them on the account's behalf.
type Service struct {
	DB  *bun.DB
	Sup *Supervisor
	Box *seal.Box
	Log *slog.Logger
	// Kick asks for a delivery pass soon (the job), after an event was recorded.
	Kick func(ctx context.Context)
	// Published answers the event types the modules publish (what may go to a plugin).
	Published func() []string
	// Notifier tells the admins of the accounts that enabled a plugin that it failed.
	Notifier automation.Notifier
	// Hooks hold the quota limiter (billing's, when installed): turning a plugin on counts
	// against the plan's "plugins" quota (nil: unlimited).
	Hooks *hooks.Set
}

// Failed tells the administrators of every account that enabled the plugin that it was marked
// failed (Supervisor.OnFailed: once per failure), each in their language, leading to the
// admin page. It is the one query across accounts of the module: the failure is the server's,
// every account using the plugin hears of it — each notice goes to one account's own admins.
func (s *Service) Failed(name, reason string) {
	if s.Notifier == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var accounts []int64
	if err := s.DB.NewSelect().Model((*enablement)(nil)).Column("account_id").Where("plugin = ? AND enabled", name).OrderExpr("account_id").Scan(ctx, &accounts); err != nil {
		s.Log.Error("plugin failed: its accounts could not be read", "plugin", name, "err", err)
		return
	}
	for _, id := range accounts {
		n := automation.Notice{AccountID: id, Roles: []string{actor.RoleOwner, actor.RoleAdmin}, EventType: "plugin.failed",
			Text: "The plugin " + name + " stopped: it crashed too often (" + reason + ").", Key: "plugins.notice.failed",
			Args: []any{"Name", name, "Reason", reason}, Path: "/admin/plugins"}
		err := s.tenant(id).RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error { return s.Notifier.Notify(ctx, tx.Unscoped(), n) })
		if err != nil {
			s.Log.Error("plugin failed: its admins could not be told", "plugin", name, "account", id, "err", err)
		}
	}
}

// maxSetting bounds a setting's value.
const maxSetting = 2000

func (s *Service) tenant(accountID int64) db.Tenant { return db.For(s.DB, accountID) }

// rows are the account's enablement rows by plugin.
func (s *Service) rows(ctx context.Context, accountID int64) (map[string]*enablement, error) {
	var rows []*enablement
	if err := s.tenant(accountID).Select(&rows).Scan(ctx); err != nil {
		return nil, err
	}
	out := make(map[string]*enablement, len(rows))
	for _, r := range rows {
		out[r.Plugin] = r
	}
	return out, nil
}

func (s *Service) row(ctx context.Context, accountID int64, name string) (*enablement, error) {
	r := new(enablement)
	err := s.tenant(accountID).Select(r).Where("plugin = ?", name).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

func (s *Service) rowKey(accountID int64, name string) []byte {
	return []byte(strconv.FormatInt(accountID, 10) + "/" + name)
}

// settings opens the account's settings of a plugin ({} for none).
func (s *Service) settings(r *enablement) map[string]any {
	out := map[string]any{}
	if r == nil || r.Settings == "" {
		return out
	}
	plain, err := s.Box.OpenString(r.Settings, s.rowKey(r.AccountID, r.Plugin))
	if err == nil {
		_ = json.Unmarshal([]byte(plain), &out)
	}
	return out
}

func (s *Service) view(st Status, r *enablement) Plugin {
	p := Plugin{Name: st.Name, Version: st.Version, Description: st.Description, Author: st.Author, State: st.State, Reason: st.Reason,
		Requested: nonNil(st.Capabilities), Granted: []string{}, Sections: st.Sections, Events: nonNil(st.Events), HTTP: st.HTTP,
		Settings: st.schema.keys(), SettingsSchema: []Field{}, Configured: []string{}, Values: map[string]any{}}
	if st.schema != nil {
		p.SettingsSchema = st.schema.Fields
	}
	if p.Sections == nil {
		p.Sections = []Section{}
	}
	if p.Jobs = st.Jobs; p.Jobs == nil {
		p.Jobs = []Job{}
	}
	if r != nil {
		p.Enabled = r.Enabled
		p.Granted = granted(st.Manifest, r)
		for k, v := range s.settings(r) {
			p.Configured = append(p.Configured, k)
			if f, ok := st.schema.field(k); ok && !f.Secret {
				p.Values[k] = v
			}
		}
		sort.Strings(p.Configured)
	}
	return p
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// granted is what the admin granted that the manifest (still) asks for.
func granted(m Manifest, r *enablement) []string {
	out := []string{}
	for _, c := range r.Capabilities {
		if slices.Contains(m.Capabilities, c) {
			out = append(out, c)
		}
	}
	return out
}

func admin(a *actor.Actor) error {
	if !a.May("plugins", "manage") {
		return problem.Forbidden("Only the account's administrators manage plugins.")
	}
	return nil
}

// List is every plugin of the server with the account's choice.
func (s *Service) List(ctx context.Context, a *actor.Actor) ([]Plugin, error) {
	if err := admin(a); err != nil {
		return nil, err
	}
	rows, err := s.rows(ctx, a.AccountID())
	if err != nil {
		return nil, err
	}
	out := []Plugin{}
	for _, st := range s.Sup.Statuses() {
		out = append(out, s.view(st, rows[st.Name]))
	}
	return out, nil
}

// Get is one plugin (404 for none of that name).
func (s *Service) Get(ctx context.Context, a *actor.Actor, name string) (Plugin, error) {
	if err := admin(a); err != nil {
		return Plugin{}, err
	}
	for _, st := range s.Sup.Statuses() {
		if st.Name == name {
			r, err := s.row(ctx, a.AccountID(), name)
			if err != nil {
				return Plugin{}, err
			}
			return s.view(st, r), nil
		}
	}
	return Plugin{}, problem.NotFound()
}

// Enable turns the plugin on for the account with the capabilities granted and its settings.
func (s *Service) Enable(ctx context.Context, a *actor.Actor, name string, in EnableInput) (Plugin, error) {
	if err := admin(a); err != nil {
		return Plugin{}, err
	}
	m, ok := s.Sup.Manifest(name)
	if !ok {
		return Plugin{}, problem.NotFound()
	}
	var f problem.Fields
	caps := m.Capabilities
	if in.Capabilities != nil {
		caps = []string{}
		for _, c := range *in.Capabilities {
			if !slices.Contains(m.Capabilities, c) {
				f.Add("capabilities", fmt.Sprintf("%q is not a capability the plugin asks for (it asks for: %v)", validate.Clip(c, 40), m.Capabilities))
			} else if !slices.Contains(caps, c) {
				caps = append(caps, c)
			}
		}
	}
	for k, v := range in.Settings {
		field, ok := m.schema.field(k)
		str, isString := v.(string)
		switch {
		case !ok:
			f.Add("settings", fmt.Sprintf("%q is not a setting of the plugin (its settings: %v)", validate.Clip(k, 40), m.schema.keys()))
		case isString && len(str) > maxSetting:
			f.Add("settings."+k, fmt.Sprintf("must be at most %d characters", maxSetting))
		case isString && validate.Control(str, false):
			f.Add("settings."+k, "must not contain control characters")
		case field.Type == "string" && v != nil && !isString:
			f.Add("settings."+k, "must be a string")
		}
	}
	if err := f.Err(); err != nil {
		return Plugin{}, err
	}
	tn := s.tenant(a.AccountID())
	err := tn.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		r := new(enablement)
		err := tx.Select(r).Where("plugin = ?", name).Scan(ctx)
		fresh := errors.Is(err, sql.ErrNoRows)
		if err != nil && !fresh {
			return err
		}
		if fresh || !r.Enabled {
			// One more plugin on: the plan's "plugins" quota (a 402 naming it and the plan
			// that lifts it), asked in the transaction that turns it on.
			if err := s.Hooks.Allow(ctx, tx.Unscoped(), tn.AccountID, "plugins", 1); err != nil {
				return err
			}
		}
		settings := s.settings(r)
		if fresh {
			r = &enablement{AccountID: tn.AccountID, Plugin: name}
			settings = map[string]any{}
		}
		for k, v := range in.Settings {
			if v == nil || v == "" {
				delete(settings, k)
			} else {
				settings[k] = v
			}
		}
		// The whole of the account's settings must hold (required ones, bounds, patterns):
		// checked in the transaction, against what is stored now.
		if err := m.schema.check(settings); err != nil {
			return err
		}
		plain, _ := json.Marshal(settings)
		r.Enabled, r.Capabilities, r.UpdatedAt = true, caps, db.Now()
		r.Settings = s.Box.SealString(string(plain), s.rowKey(tn.AccountID, name))
		if fresh {
			_, err = tx.Insert(r).Exec(ctx)
		} else {
			_, err = tx.Update(r).Column("enabled", "capabilities", "settings", "updated_at").Where("plugin = ?", name).Exec(ctx)
		}
		if err != nil {
			return err
		}
		keys := make([]string, 0, len(in.Settings))
		for k := range in.Settings {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		return audit.Record(ctx, tx.Unscoped(), a, tn.AccountID, "plugin.enabled", "plugin:"+name,
			map[string]any{"version": m.Version, "capabilities": caps, "settings_changed": keys})
	})
	if err != nil {
		return Plugin{}, err
	}
	return s.Get(ctx, a, name)
}

// Disable turns the plugin off for the account; its waiting events are dropped.
func (s *Service) Disable(ctx context.Context, a *actor.Actor, name string) (Plugin, error) {
	if err := admin(a); err != nil {
		return Plugin{}, err
	}
	if _, err := s.Get(ctx, a, name); err != nil {
		return Plugin{}, err
	}
	tn := s.tenant(a.AccountID())
	err := tn.RunInTx(ctx, nil, func(ctx context.Context, tx db.Tenant) error {
		res, err := tx.Update((*enablement)(nil)).Set("enabled = ?", false).Set("updated_at = ?", db.Now()).Where("plugin = ? AND enabled", name).Exec(ctx)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // already off: nothing to audit
		}
		if _, err := tx.Delete((*delivery)(nil)).Where("plugin = ?", name).Exec(ctx); err != nil {
			return err
		}
		return audit.Record(ctx, tx.Unscoped(), a, tn.AccountID, "plugin.disabled", "plugin:"+name, nil)
	})
	if err != nil {
		return Plugin{}, err
	}
	return s.Get(ctx, a, name)
}

// active is a plugin the account enabled that can run, with the account's grants.
type active struct {
	Manifest
	row *enablement
}

// Active lists the plugins the account enabled that this server can run, by name.
func (s *Service) Active(ctx context.Context, accountID int64) ([]active, error) {
	runnable := s.Sup.Runnable()
	if len(runnable) == 0 {
		return nil, nil // no plugin installed: no query
	}
	rows, err := s.rows(ctx, accountID)
	if err != nil {
		return nil, err
	}
	var out []active
	for _, m := range runnable {
		if r := rows[m.Name]; r != nil && r.Enabled {
			out = append(out, active{Manifest: m, row: r})
		}
	}
	return out, nil
}

// scope is the call scope of an active plugin for the account.
func (s *Service) scope(p active, slug string, viewer *actor.Actor) Scope {
	settings, _ := json.Marshal(s.settings(p.row))
	sc := Scope{AccountID: p.row.AccountID, Slug: slug, Granted: granted(p.Manifest, p.row), Settings: settings, Viewer: viewer}
	if viewer != nil {
		sc.Lang = viewer.Locale
	}
	return sc
}

// since is for the deliveries' back-off.
var deliveryBackoff = []time.Duration{10 * time.Second, time.Minute, 5 * time.Minute, 30 * time.Minute, 2 * time.Hour, 6 * time.Hour}
