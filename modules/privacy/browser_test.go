package privacy_test

import (
	"strings"
	"testing"

	"groupcamp/core/actor"
	"groupcamp/core/testkit"
	"groupcamp/core/testkit/browser"
)

// words are what a person reads and clicks on the way, in their language.
type words struct {
	lang, email, password, signIn, profile, yourData, title, access, core, exportStart, exportStarted,
	ready, download, editProfile, objection, erasurePassword, erase, checkMail, confirm, cancel, cancelled string
}

var storyWords = []words{
	{"en", "Email", "Password", "Sign in", "Profile", "Your data in each account", "Your data and privacy", "What is held about you", "Account and sign-in",
		"Prepare my export", "Your export is being prepared.", "Ready", "Download", "Edit your profile", "Object to emails",
		"Your password", "Erase my data", "We have emailed you a link to confirm the erasure.", "Yes, erase my data", "Cancel the erasure", "The erasure is cancelled."},
	{"fr", "E-mail", "Mot de passe", "Se connecter", "Profil", "Vos données dans chaque compte", "Vos données et votre vie privée", "Ce qui est conservé sur vous", "Compte et connexion",
		"Préparer mon export", "Votre export est en préparation.", "Prêt", "Télécharger", "Modifier votre profil", "Vous opposer aux e-mails",
		"Votre mot de passe", "Effacer mes données", "Nous vous avons envoyé un lien pour confirmer l'effacement.", "Oui, effacer mes données", "Annuler l'effacement", "L'effacement est annulé."},
	{"ru", "Эл. почта", "Пароль", "Войти", "Профиль", "Ваши данные в каждом аккаунте", "Ваши данные и конфиденциальность", "Что о вас хранится", "Аккаунт и вход",
		"Подготовить экспорт", "Экспорт готовится.", "Готово", "Скачать", "Изменить профиль", "Отказаться от писем",
		"Ваш пароль", "Удалить мои данные", "Мы отправили вам ссылку для подтверждения удаления.", "Да, удалить мои данные", "Отменить удаление", "Удаление отменено."},
}

// TestBrowserPrivacyRights walks the five rights from the profile, in English, French and
// Russian: a member opens their data from the profile, reads what is held (access), finds
// where to correct it (rectification) and to object, takes an export and sees it ready
// (portability), asks for their erasure with their password, confirms it from the emailed link,
// and cancels it during the grace period.
func TestBrowserPrivacyRights(t *testing.T) {
	b := browser.Shared(t)
	e := testkit.Start(t, "sqlite", options())
	for _, w := range storyWords {
		t.Run(w.lang, func(t *testing.T) {
			acc := e.NewAccount()
			u := e.NewUser(acc, actor.RoleMember)
			tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: w.lang})
			tab.Go("/login")
			tab.Fill(w.email, u.Email)
			tab.Fill(w.password, u.Password)
			tab.Submit(w.signIn)
			tab.Go("/profile")
			tab.WantText(w.yourData)
			tab.Follow(acc.Name)
			if p := tab.Path(); p != "/"+acc.Slug+"/me/privacy" {
				t.Fatalf("the profile's link leads to %s", p)
			}
			tab.WantText(w.title, w.access, w.core, w.editProfile, w.objection)
			tab.Screenshot("privacy-" + w.lang)

			tab.Submit(w.exportStart)
			tab.WantText(w.exportStarted)
			e.Settle()
			tab.Go("/" + acc.Slug + "/me/privacy")
			tab.WantText(w.ready, w.download)

			tab.Fill(w.erasurePassword, u.Password)
			tab.Submit(w.erase)
			tab.WantText(w.checkMail)
			m, ok := e.Mailbox.Last(u.Email)
			link := linkRE.FindString(m.Text)
			if !ok || link == "" {
				t.Fatalf("no confirmation link mailed: %q", m.Text)
			}
			tab.Go(strings.TrimPrefix(link, e.URL))
			tab.Screenshot("confirm-" + w.lang)
			tab.Submit(w.confirm)
			tab.WantText(w.cancel)
			tab.Screenshot("scheduled-" + w.lang)
			tab.Submit(w.cancel)
			tab.WantText(w.cancelled)
		})
	}
	// The owner keeps the record of processing and the settings, and erases a colleague who
	// left; anyone reads the cookie notice.
	t.Run("owner", func(t *testing.T) {
		acc := e.NewAccount()
		gone := e.NewUser(acc, actor.RoleMember)
		tab := b.NewTab(t, browser.Options{BaseURL: e.URL, Lang: "en"})
		tab.Go("/login")
		tab.Fill("Email", acc.Owner.Email)
		tab.Fill("Password", acc.Owner.Password)
		tab.Submit("Sign in")
		tab.Go("/" + acc.Slug + "/privacy")
		tab.WantText("Record of processing activities", "Account and sign-in", "Keep connection data for (days)", "Erase a person")
		tab.Fill("Keep connection data for (days)", "30")
		tab.Submit("Save")
		tab.WantText("The privacy settings are saved.")
		tab.Select("Person", gone.Name+" · "+gone.Email)
		tab.Screenshot("privacy-admin")
		tab.Go("/cookies")
		tab.WantText("Cookies", "groupcamp_session", "groupcamp_csrf", "There are no third-party cookies")
		tab.Screenshot("cookies")
		tab.Go("/privacy")
		tab.WantText("Privacy policy", "Your rights")
	})
}
