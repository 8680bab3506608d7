package testkit

import (
	"reflect"
	"sync"

	"groupcamp/core/app"
)

// A module keeps its service once registered (m.svc), so a module value registered in two
// Apps answers for the last one: a test that passes the same Options to EachShared or EachOwn
// boots its SQLite and its PostgreSQL App with the same values, and a lookup through
// Env.Modules (a module's Service(), a clock set on it) would reach the other database's App.
// independent gives each App module values of its own: a value already booted by another App
// is replaced by a new one of its type — a module's New is its zero value — unless it carries
// configuration in exported fields (a test's tuning), which a zero value would lose; those
// tests build their Options per App.
var booted sync.Map // uintptr of a booted module value → true (a reused address only costs a fresh value)

func independent(mods []app.Module) []app.Module {
	out := make([]app.Module, len(mods))
	for i, m := range mods {
		out[i] = m
		v := reflect.ValueOf(m)
		if v.Kind() != reflect.Pointer || v.IsNil() || v.Elem().Kind() != reflect.Struct {
			continue
		}
		if _, used := booted.LoadOrStore(v.Pointer(), true); !used || configured(v.Elem()) {
			continue
		}
		fresh := reflect.New(v.Elem().Type())
		booted.Store(fresh.Pointer(), true)
		out[i] = fresh.Interface().(app.Module)
	}
	return out
}

// configured reports whether a module value has an exported field set.
func configured(s reflect.Value) bool {
	for i := 0; i < s.NumField(); i++ {
		if s.Type().Field(i).IsExported() && !s.Field(i).IsZero() {
			return true
		}
	}
	return false
}
