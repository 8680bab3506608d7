package app

import (
	"io/fs"

	"groupcamp/core/audit"
	"groupcamp/core/auth"
	"groupcamp/core/automation"
	"groupcamp/core/capacity"
	"groupcamp/core/consent"
	"groupcamp/core/events"
	"groupcamp/core/hooks"
	"groupcamp/core/identity"
	"groupcamp/core/notify"
	"groupcamp/core/search"
	"groupcamp/core/shell"
	"groupcamp/core/workflow"
)

// personalData registers core's personal-data providers (hooks.PersonalData), under the
// module name "core", before the modules register theirs, and adds their catalogs (the names,
// purposes and retentions of their data categories).
//
// The order is the erasure's, reversed: the privacy module erases a person through the Set
// from its end, so the modules' providers run first and core's after them, last of all
// identity, which is first here. Identity deletes the membership and, when the person has no
// other, the login: every provider before it still finds the person's name and email
// (personal.Of) and whether the login goes (personal.LoginGoes).
func (a *App) personalData() error {
	for _, cat := range []fs.FS{identity.Catalogs(), auth.Catalogs(), capacity.Catalogs(), audit.Catalogs(), events.Catalogs(), workflow.Catalogs(), shell.Catalogs()} {
		if err := a.Web.Catalog.Add(cat); err != nil {
			return err
		}
	}
	for _, h := range []hooks.PersonalData{
		identity.PersonalData{DB: a.DB},
		auth.PersonalData{DB: a.DB},
		audit.PersonalData{DB: a.DB},
		consent.PersonalData{DB: a.DB},
		events.PersonalData{DB: a.DB},
		workflow.PersonalData{DB: a.DB},
		automation.PersonalData{DB: a.DB},
		notify.PersonalData{DB: a.DB},
		capacity.PersonalData{DB: a.DB},
		shell.PersonalData{DB: a.DB},
		search.PersonalData{DB: a.DB},
	} {
		a.Hooks.PersonalData = append(a.Hooks.PersonalData, hooks.Named[hooks.PersonalData]{Module: "core", Hook: h})
	}
	return nil
}
