package timesheet_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// TestBrowserTimers: a member adds a row and starts a timer from it, stops it and sees its
// time in the week; a timer left running overnight is not logged until they say when they
// stopped; they submit the week. An administrator sets a period lock in the timesheet settings and
// the member's grid shows it. The project's leader, a manager in the member's team, opens the
// team view and approves the submitted week from it.
// timerWords are what the people of the timers' story read and press, in their language.
type timerWords struct {
	lang, email, password, signIn, rowToAdd, add, startOn, running, runningText, stop, stopped,
	staleTitle, staleQ, logUntil, submit, submitted, settingsLink, settingsTitle, noLock, saveLock,
	lockSaved, lockCurrent, gridLock, teamLink, teamTitle, stateSubmitted, approveOf, approved,
	stateApproved, weekLocked string
}

var timerStory = []timerWords{
	{"en", "Email", "Password", "Sign in", "Row to add", "Add the row", "Start a timer on Website", "The timer is running.", "Timer running on Website",
		"Stop the timer", "The timer is stopped and its time logged.", "Your timer is still running", "When did you stop?", "Log the time until then",
		"Submit the week", "The week is submitted for approval.", "Timesheet settings", "Timesheet settings", "No period is locked.", "Save the lock",
		"The period lock is saved.", "Time before 2026-12-08 is locked.", "Time before 2026-12-08 is locked: those days cannot change.",
		"Team", "Team timesheets", "Submitted", "Approve the week of %s", "The week is approved and locked.", "Approved", "This week is locked"},
	{"fr", "E-mail", "Mot de passe", "Se connecter", "Ligne à ajouter", "Ajouter la ligne", "Lancer un chronomètre sur Website", "Le chronomètre tourne.",
		"Chronomètre en cours sur Website", "Arrêter le chronomètre", "Le chronomètre est arrêté et son temps saisi.", "Votre chronomètre tourne toujours",
		"Quand vous êtes-vous arrêté ?", "Saisir le temps jusque-là", "Soumettre la semaine", "La semaine est soumise pour approbation.",
		"Réglages des temps", "Réglages des feuilles de temps", "Aucune période n'est verrouillée.", "Enregistrer le verrouillage",
		"Le verrouillage de période est enregistré.", "Le temps avant le 2026-12-08 est verrouillé.",
		"Le temps avant le 2026-12-08 est verrouillé : ces jours ne peuvent plus changer.", "Équipe", "Feuilles de temps de l'équipe", "Soumise",
		"Approuver la semaine de %s", "La semaine est approuvée et verrouillée.", "Approuvée", "Cette semaine est verrouillée"},
	{"ru", "Эл. почта", "Пароль", "Войти", "Добавить строку", "Добавить", "Запустить таймер по «Website»", "Таймер запущен.", "Таймер по «Website» идёт с",
		"Остановить таймер", "Таймер остановлен, время записано.", "Ваш таймер всё ещё идёт", "Когда вы закончили?", "Записать время до этого момента",
		"Отправить неделю", "Неделя отправлена на утверждение.", "Настройки табелей", "Настройки табелей", "Ни один период не закрыт.", "Сохранить закрытие",
		"Закрытие периода сохранено.", "Время до 2026-12-08 закрыто.", "Время до 2026-12-08 закрыто: эти дни изменить нельзя.", "Команда",
		"Табели команды", "Отправлена", "Утвердить неделю: %s", "Неделя утверждена и закрыта.", "Утверждена", "Эта неделя закрыта"},
}

// TestBrowserTimers: in English, French and Russian, a member adds a row and starts a timer
// from it, stops it and sees its time in the week; a timer left running overnight is not
// logged until they say when they stopped; they submit the week. An administrator sets a period lock
// in the timesheet settings and the member's grid shows it. The project's leader, a manager
// in the member's team, opens the team view and approves the submitted week from it.
func TestBrowserTimers(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	clk := ownClock(t, e, time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC))
	shots := os.Getenv("GROUPCAMP_SCREENSHOTS")
	for _, w := range timerStory {
		t.Run(w.lang, func(t *testing.T) {
			clk.set(time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)) // a Tuesday of 2026-W50
			o := newOffice(t, e)
			o.team(t, "Studio", o.lead, o.mem)
			login := func(u *testkit.User) *browser.Tab {
				tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: w.lang, Shots: shots})
				tab.Go("/login")
				tab.Fill(w.email, u.Email)
				tab.Fill(w.password, u.Password)
				tab.Submit(w.signIn)
				return tab
			}
			grid := "/" + o.acc.Slug + "/timesheet"
			tab := login(o.mem)
			tab.Go(grid)
			tab.Select(w.rowToAdd, "Website")
			tab.Submit(w.add)
			tab.WaitFor("the grid's script", `document.querySelector("table.timegrid input.cell")`)

			tab.Submit(w.startOn)
			tab.WaitText(w.running, w.runningText)
			clk.set(time.Date(2026, 12, 8, 9, 50, 0, 0, time.UTC))
			tab.Go(grid)
			tab.Screenshot("timesheet-timer-running-" + w.lang)
			tab.Submit(w.stop)
			tab.WaitText(w.stopped)
			if got := tab.TextOf("week-total"); got != "0:50" {
				t.Errorf("after the stop the week reads %q, want 0:50", got)
			}

			// Overnight: started at 17:20, seen the next morning.
			clk.set(time.Date(2026, 12, 8, 17, 20, 0, 0, time.UTC))
			tab.Go(grid)
			tab.Submit(w.startOn)
			tab.WaitText(w.running)
			clk.set(time.Date(2026, 12, 9, 9, 0, 0, 0, time.UTC))
			tab.Go(grid)
			tab.WantText(w.staleTitle, w.staleQ)
			tab.Screenshot("timesheet-timer-overnight-" + w.lang)
			browser.Evaluate[bool](tab, "type the stop time", `(() => { document.getElementById("timer-stopped-at").value = "18:05"; return true; })()`)
			tab.Submit(w.logUntil)
			tab.WaitText(w.stopped)
			if got := tab.TextOf("week-total"); got != "1:35" {
				t.Errorf("after the overnight stop the week reads %q, want 1:35 (0:50 + 0:45)", got)
			}
			tab.Submit(w.submit)
			tab.WaitText(w.submitted)

			// An administrator closes everything before Tuesday 2026-12-08.
			owner := login(e.NewUser(o.acc, actor.RoleAdmin))
			owner.Go(grid)
			owner.Follow(w.settingsLink)
			owner.WantText(w.settingsTitle, w.noLock)
			browser.Evaluate[bool](owner, "pick the day", `(() => { document.getElementById("locked-before").value = "2026-12-08"; window.confirm = () => true; return true; })()`)
			owner.Submit(w.saveLock)
			owner.WaitText(w.lockSaved, w.lockCurrent)
			owner.Screenshot("timesheet-settings-lock-" + w.lang)
			tab.Go(grid)
			tab.WantText(w.gridLock)

			// The leader approves the week from the team view.
			lead := login(o.lead)
			lead.Go(grid)
			lead.Follow(w.teamLink)
			lead.WantText(w.teamTitle, o.mem.Name, "1:35", w.stateSubmitted)
			lead.Screenshot("timesheet-team-" + w.lang)
			lead.Submit(fmt.Sprintf(w.approveOf, o.mem.Name))
			lead.WaitText(w.approved)
			if got := lead.TextOf(fmt.Sprintf("team-%d", o.mem.ID)); !strings.Contains(got, w.stateApproved) {
				t.Errorf("the member's row after approval reads %q", got)
			}
			tab.Go(grid)
			tab.WantText(w.stateApproved, w.weekLocked)
		})
	}
}
