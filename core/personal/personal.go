// Package personal is what the personal-data providers (hooks.PersonalData) of core and of the
// modules share, so that each provider says only which of its rows are the person's:
//
//   - Needles: the strings that name the person in free text — their email and their name as
//     the account knows them (the login's, and the name an admin typed when inviting them) —
//     with Scrub, which rewrites them away (word-bounded, whatever the case), Match, the SQL
//     condition that finds the rows quoting them, and ScrubTable, which does both over the
//     account's rows of a table.
//   - LoginGoes: whether an erasure in one account takes the login itself (the person belongs
//     to no other account and has no platform role).
//   - Category and Count: the data categories of Describe, whose names, purposes, retentions
//     and fields are message keys ("identity.data.profile", ".purpose", ".retention").
//
// An erasure rewrites a quoted name or email into Redacted; an actor column it detaches
// becomes NULL with an empty name, which the pages show as "Deleted user" (data.deleted_user).
package personal

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"groupcamp/core/db"
	"groupcamp/core/hooks"
)

// Redacted is what a person's name or email becomes in the text an erasure keeps.
const Redacted = "—"

// DeletedUser is the message key the pages show for an actor an erasure detached.
const DeletedUser = "data.deleted_user"

// Needles are the strings that name one person in text: emails and names (at least two
// letters: a one-letter name would match every such word).
type Needles struct {
	UserID int64
	Emails []string
	Names  []string
}

// Of returns the needles of the subject in its account: the subject's email and name, the
// login's (while it exists) and the name the account invited them under.
func Of(ctx context.Context, idb bun.IDB, s hooks.Subject) (Needles, error) {
	n := Needles{UserID: s.UserID}
	n.add(s.Email, s.Name)
	if s.UserID == 0 {
		return n, nil
	}
	var u struct {
		Email string `bun:"email"`
		Name  string `bun:"name"`
	}
	err := idb.NewSelect().TableExpr("users").Column("email", "name").Where("id = ?", s.UserID).Scan(ctx, &u)
	if err != nil && !db.IsNotFound(err) {
		return n, err
	}
	n.add(u.Email, u.Name)
	var invited []string
	if err := idb.NewSelect().TableExpr("memberships").Column("invited_name").
		Where("account_id = ? AND user_id = ?", s.AccountID, s.UserID).Scan(ctx, &invited); err != nil && !db.IsNotFound(err) {
		return n, err
	}
	for _, name := range invited {
		n.add("", name)
	}
	return n, nil
}

func (n *Needles) add(email, name string) {
	if email = strings.ToLower(strings.TrimSpace(email)); email != "" && !slices.Contains(n.Emails, email) {
		n.Emails = append(n.Emails, email)
	}
	if name = strings.TrimSpace(name); utf8.RuneCountInString(name) >= 2 && !slices.ContainsFunc(n.Names, func(x string) bool { return strings.EqualFold(x, name) }) {
		n.Names = append(n.Names, name)
	}
}

// Empty reports whether there is nothing to look for.
func (n Needles) Empty() bool { return len(n.Emails) == 0 && len(n.Names) == 0 }

// needle is one form of an email or a name to find.
type needle struct {
	text  string
	email bool
}

// forms are the needles and their JSON-escaped forms (details and payloads are JSON).
func (n Needles) forms() []needle {
	var out []needle
	add := func(s string, email bool) {
		for _, f := range []string{s, jsonForm(s)} {
			if !slices.ContainsFunc(out, func(x needle) bool { return strings.EqualFold(x.text, f) }) {
				out = append(out, needle{f, email})
			}
		}
	}
	for _, e := range n.Emails {
		add(e, true)
	}
	for _, s := range n.Names {
		add(s, false)
	}
	return out
}

func jsonForm(s string) string {
	b, _ := json.Marshal(s)
	return string(b[1 : len(b)-1])
}

// Scrub rewrites every occurrence of the person's emails and names in text into Redacted and
// reports whether it changed anything. A name matches as whole words, in any case ("Ann" is
// not in "Annual"); an email anywhere it is not part of a longer address.
func (n Needles) Scrub(text string) (string, bool) {
	if text == "" {
		return text, false
	}
	out, changed := text, false
	for _, f := range n.forms() {
		if r, ok := replaceFold(out, f); ok {
			out, changed = r, true
		}
	}
	return out, changed
}

// Quotes reports whether text names the person.
func (n Needles) Quotes(text string) bool {
	_, ok := n.Scrub(text)
	return ok
}

// replaceFold replaces the bounded, case-insensitive occurrences of f in s with Redacted.
func replaceFold(s string, f needle) (string, bool) {
	if f.text == "" {
		return s, false
	}
	var b strings.Builder
	changed, last := false, 0
	for i := 0; i < len(s); {
		if j, ok := prefixFold(s[i:], f.text); ok && bounded(s, i, i+j, f.email) {
			b.WriteString(s[last:i])
			b.WriteString(Redacted)
			i += j
			last, changed = i, true
			continue
		}
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if !changed {
		return s, false
	}
	b.WriteString(s[last:])
	return b.String(), true
}

// prefixFold reports whether s starts with p, ignoring case, and how many bytes of s match.
func prefixFold(s, p string) (int, bool) {
	i := 0
	for _, pr := range p {
		if i >= len(s) {
			return 0, false
		}
		sr, size := utf8.DecodeRuneInString(s[i:])
		if sr != pr && unicode.ToLower(sr) != unicode.ToLower(pr) {
			return 0, false
		}
		i += size
	}
	return i, true
}

// bounded reports whether s[i:j] stands alone: no letter or digit (nor, around an email, a
// character of an address) touches it.
func bounded(s string, i, j int, email bool) bool {
	inWord := func(r rune) bool {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return true
		}
		return email && strings.ContainsRune("._%+-", r)
	}
	if i > 0 {
		if r, _ := utf8.DecodeLastRuneInString(s[:i]); inWord(r) {
			return false
		}
	}
	if j < len(s) {
		if r, _ := utf8.DecodeRuneInString(s[j:]); inWord(r) {
			return false
		}
	}
	return true
}

// Match is the SQL condition "one of cols quotes the person" (a LIKE per needle and column,
// case-insensitive: ILIKE on PostgreSQL, LIKE on SQLite, which ignores the case of ASCII). It
// finds candidates: Scrub decides. With no needles it matches nothing.
func (n Needles) Match(idb bun.IDB, cols ...string) (string, []any) {
	op := "LIKE"
	if db.IsPostgres(idb) {
		op = "ILIKE"
	}
	var parts []string
	var args []any
	for _, f := range n.forms() {
		for _, c := range cols {
			parts = append(parts, "? "+op+" ? ESCAPE '!'")
			args = append(args, bun.Ident(c), "%"+likeEscape(f.text)+"%")
		}
	}
	if len(parts) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(parts, " OR ") + ")", args
}

func likeEscape(s string) string {
	return strings.NewReplacer("!", "!!", "%", "!%", "_", "!_").Replace(s)
}

// ScrubTable rewrites the columns cols of the rows of table, in the account (the rows of no
// account for accountID 0), that quote the person, and returns how many rows it changed. The
// table has an id primary key. It is idempotent: a second run finds nothing.
func ScrubTable(ctx context.Context, idb bun.IDB, accountID int64, table string, n Needles, cols ...string) (int64, error) {
	where, wargs := "account_id = ?", []any{accountID}
	if accountID == 0 {
		where, wargs = "account_id IS NULL", nil
	}
	return scrub(ctx, idb, n, table, cols,
		func() *bun.SelectQuery {
			return idb.NewSelect().TableExpr("?", bun.Ident(table)).Where(where, wargs...)
		},
		func(set []string, args []any, id any) error {
			q := idb.NewUpdate().TableExpr("?", bun.Ident(table)).Where(where, wargs...).Where("id = ?", id)
			for i, c := range set {
				q = q.Set("? = ?", bun.Ident(c), args[i])
			}
			_, err := q.Exec(ctx)
			return err
		})
}

// ScrubTenant is ScrubTable through a module's Tenant (core/db): the account is the tenant's.
func ScrubTenant(ctx context.Context, tn db.Tenant, table string, n Needles, cols ...string) (int64, error) {
	return scrub(ctx, tn.Unscoped(), n, table, cols,
		func() *bun.SelectQuery { return tn.SelectFrom(table, "x") },
		func(set []string, args []any, id any) error {
			// ?0 is the account (Tenant.Exec), ?1 the table, then each column and its value, then the id.
			query, qargs := "UPDATE ?1 SET ", []any{bun.Ident(table)}
			for i, c := range set {
				if i > 0 {
					query += ", "
				}
				query += fmt.Sprintf("?%d = ?%d", len(qargs)+1, len(qargs)+2)
				qargs = append(qargs, bun.Ident(c), args[i])
			}
			query += fmt.Sprintf(" WHERE account_id = ?0 AND id = ?%d", len(qargs)+1)
			_, err := tn.Exec(ctx, query, append(qargs, id)...)
			return err
		})
}

// scrub selects (with sel) the rows whose cols quote the person and rewrites them (with upd).
func scrub(ctx context.Context, idb bun.IDB, n Needles, table string, cols []string,
	sel func() *bun.SelectQuery, upd func(set []string, args []any, id any) error) (int64, error) {
	if n.Empty() || len(cols) == 0 {
		return 0, nil
	}
	cond, args := n.Match(idb, cols...)
	var rows []map[string]any
	if err := sel().Column("id").Column(cols...).Where(cond, args...).OrderExpr("id").Scan(ctx, &rows); err != nil {
		return 0, fmt.Errorf("personal: scrub %s: %w", table, err)
	}
	var changed int64
	for _, row := range rows {
		var set []string
		var vals []any
		for _, c := range cols {
			if s, ok := n.Scrub(text(row[c])); ok {
				set, vals = append(set, c), append(vals, s)
			}
		}
		if len(set) == 0 {
			continue
		}
		if err := upd(set, vals, row["id"]); err != nil {
			return changed, fmt.Errorf("personal: scrub %s: %w", table, err)
		}
		changed++
	}
	return changed, nil
}

// text reads a text column scanned into a map.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	case nil:
		return ""
	default:
		return fmt.Sprint(x)
	}
}

// emailRe finds email addresses in text.
var emailRe = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+`)

// OthersRedacted is text with every email address but the person's own replaced by Redacted:
// an export gives a person their data, never someone else's address.
func (n Needles) OthersRedacted(text string) string {
	return emailRe.ReplaceAllStringFunc(text, func(e string) string {
		if slices.Contains(n.Emails, strings.ToLower(e)) {
			return e
		}
		return Redacted
	})
}

// LoginGoes reports whether erasing the subject from their account takes their login too:
// they belong to no other account and hold no platform role (support, partner). It is true
// once the login is gone (an erasure that runs again).
func LoginGoes(ctx context.Context, idb bun.IDB, s hooks.Subject) (bool, error) {
	other, err := idb.NewSelect().TableExpr("memberships").Where("user_id = ? AND account_id <> ?", s.UserID, s.AccountID).Exists(ctx)
	if err != nil || other {
		return false, err
	}
	var role string
	err = idb.NewSelect().TableExpr("users").Column("platform_role").Where("id = ?", s.UserID).Scan(ctx, &role)
	if db.IsNotFound(err) {
		return true, nil
	}
	return err == nil && role == "", err
}

// Category is a data category of module named by the message key key, whose purpose and
// retention are key+".purpose" and key+".retention"; fields are message keys too.
func Category(module, key string, count int64, fields ...string) hooks.DataCategory {
	return hooks.DataCategory{Module: module, Name: key, Purpose: key + ".purpose", Retention: key + ".retention", Fields: fields, Count: count}
}

// Count counts the rows of q for a person, and is -1 for the record of processing (no
// person: s.UserID is 0) without asking the database.
func Count(ctx context.Context, s hooks.Subject, q func() *bun.SelectQuery) (int64, error) {
	if s.UserID == 0 {
		return -1, nil
	}
	n, err := q().Count(ctx)
	return int64(n), err
}

// Field keys shared by the categories (core/web's catalogs hold them).
const (
	FieldName      = "data.field.name"
	FieldEmail     = "data.field.email"
	FieldIP        = "data.field.ip"
	FieldUserAgent = "data.field.user_agent"
	FieldRole      = "data.field.role"
	FieldText      = "data.field.text"
	FieldTimes     = "data.field.times"
	FieldSettings  = "data.field.settings"
	FieldActions   = "data.field.actions"
	FieldLinks     = "data.field.links"
)
