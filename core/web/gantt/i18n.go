package gantt

import "strings"

// The chart carries its own few words rather than depending on core/web's catalogs: it is a
// leaf package, and these are calendar names (CLDR standalone forms, capitalised because each
// one heads a header cell) plus a handful of legend words.
type locale struct {
	code                string
	months, monthsShort [12]string
	noteMonths          [12]string // lower-case abbreviations for "12 mars"
	weekPrefix          string
	title, task         string
	today, empty        string
	legendTask          string
	legendProgress      string
	legendLate          string
	legendDone          string
	legendList          string
	legendMilestone     string
	notShown            string // "+%d rows not shown" split around the number
	notShownAfter       string
	descFrom, descTo    string
	descTasks           string
	descLists           string
	descMilestones      string
	descLinks           string
}

var locales = map[string]*locale{
	"en": {
		code:            "en",
		noteMonths:      [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		months:          [12]string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"},
		monthsShort:     [12]string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"},
		weekPrefix:      "W",
		title:           "Gantt chart",
		task:            "Task",
		today:           "Today",
		empty:           "Nothing scheduled yet",
		legendTask:      "Task",
		legendProgress:  "Progress",
		legendLate:      "Late",
		legendDone:      "Done",
		legendList:      "List",
		legendMilestone: "Milestone",
		notShown:        "+",
		notShownAfter:   " rows not shown",
		descFrom:        "Gantt chart from ",
		descTo:          " to ",
		descTasks:       ". Tasks: ",
		descLists:       ", lists: ",
		descMilestones:  ", milestones: ",
		descLinks:       ", dependencies: ",
	},
	"fr": {
		code:            "fr",
		noteMonths:      [12]string{"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc."},
		months:          [12]string{"Janvier", "Février", "Mars", "Avril", "Mai", "Juin", "Juillet", "Août", "Septembre", "Octobre", "Novembre", "Décembre"},
		monthsShort:     [12]string{"Janv.", "Févr.", "Mars", "Avr.", "Mai", "Juin", "Juil.", "Août", "Sept.", "Oct.", "Nov.", "Déc."},
		weekPrefix:      "S",
		title:           "Diagramme de Gantt",
		task:            "Tâche",
		today:           "Aujourd’hui",
		empty:           "Rien n’est encore planifié",
		legendTask:      "Tâche",
		legendProgress:  "Avancement",
		legendLate:      "En retard",
		legendDone:      "Terminée",
		legendList:      "Liste",
		legendMilestone: "Jalon",
		notShown:        "+",
		notShownAfter:   " lignes non affichées",
		descFrom:        "Diagramme de Gantt du ",
		descTo:          " au ",
		descTasks:       ". Tâches : ",
		descLists:       ", listes : ",
		descMilestones:  ", jalons : ",
		descLinks:       ", dépendances : ",
	},
	"ru": {
		code:            "ru",
		noteMonths:      [12]string{"янв", "фев", "мар", "апр", "мая", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"},
		months:          [12]string{"Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"},
		monthsShort:     [12]string{"Янв", "Фев", "Мар", "Апр", "Май", "Июн", "Июл", "Авг", "Сен", "Окт", "Ноя", "Дек"},
		weekPrefix:      "Н",
		title:           "Диаграмма Ганта",
		task:            "Задача",
		today:           "Сегодня",
		empty:           "Пока ничего не запланировано",
		legendTask:      "Задача",
		legendProgress:  "Ход выполнения",
		legendLate:      "Просрочено",
		legendDone:      "Завершено",
		legendList:      "Список",
		legendMilestone: "Веха",
		notShown:        "Не показано строк: ",
		notShownAfter:   "",
		descFrom:        "Диаграмма Ганта с ",
		descTo:          " по ",
		descTasks:       ". Задачи: ",
		descLists:       ", списки: ",
		descMilestones:  ", вехи: ",
		descLinks:       ", зависимости: ",
	},
}

// lookupLocale accepts "fr", "fr-CA", "fr_FR", "FR"; anything else is English.
func lookupLocale(lang string) *locale {
	if i := strings.IndexAny(lang, "-_"); i >= 0 {
		lang = lang[:i]
	}
	if l, ok := locales[strings.ToLower(lang)]; ok {
		return l
	}
	return locales["en"]
}
