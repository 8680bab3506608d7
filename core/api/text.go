package api

import (
	"fmt"
	"reflect"
	"strings"

	"groupcamp/core/problem"
	"groupcamp/core/validate"
)

// Every string a JSON body carries is checked by Decode once it is decoded, wherever it sits
// (a field, a list item, a map key or value, a value of type any): control characters are
// refused with a 422 naming the field by its JSON path ("actions[0].message", "tags[2]",
// "params.url"). A NUL byte cannot be stored in PostgreSQL text, and no other control
// character belongs in what people write.
//
// A field tagged `text:"multiline"` (a description, a comment, a message) may also hold line
// breaks and tabs; the tag covers every string under the field. Fields named "password" or
// "..._password" are left alone: a secret is hashed, never stored or shown as text.
//
// A struct field tagged `text:"-"` is not walked at all (for fields whose service checks them
// as something other than text).

// MaxTextErrors is how many field messages one refused body gets at most.
const MaxTextErrors = 20

// CheckText walks v, a decoded body, and returns a 422 problem naming every field (up to
// MaxTextErrors) whose text holds a control character, or nil.
func CheckText(v any) error {
	var f problem.Fields
	n := 0
	walkText(reflect.ValueOf(v), "", false, &f, &n)
	return f.Err()
}

// Control reports whether s holds a control character (or invalid UTF-8); with multiline, line
// breaks and tabs are allowed. It is validate.Control.
func Control(s string, multiline bool) bool { return validate.Control(s, multiline) }

func textMessage(multiline bool) string {
	if multiline {
		return "must not contain control characters other than line breaks and tabs"
	}
	return "must not contain control characters"
}

func walkText(v reflect.Value, path string, multi bool, f *problem.Fields, n *int) {
	if *n >= MaxTextErrors || !v.IsValid() {
		return
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			walkText(v.Elem(), path, multi, f, n)
		}
	case reflect.String:
		if Control(v.String(), multi) {
			*n++
			f.Add(fieldPath(path), textMessage(multi))
		}
	case reflect.Slice, reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return // bytes (json.RawMessage): not text the decoder produced
		}
		for i := 0; i < v.Len() && *n < MaxTextErrors; i++ {
			walkText(v.Index(i), fmt.Sprintf("%s[%d]", path, i), multi, f, n)
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() && *n < MaxTextErrors {
			k := it.Key()
			key := fmt.Sprint(k.Interface())
			if k.Kind() == reflect.String && Control(key, false) {
				*n++
				f.Add(fieldPath(path), "keys "+textMessage(false))
				continue
			}
			walkText(it.Value(), join(path, key), multi, f, n)
		}
	case reflect.Struct:
		t := v.Type()
		for i := 0; i < t.NumField() && *n < MaxTextErrors; i++ {
			sf := t.Field(i)
			if !sf.IsExported() {
				continue
			}
			tag := sf.Tag.Get("text")
			if tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
			if name == "-" {
				continue
			}
			if name == "" {
				if sf.Anonymous {
					walkText(v.Field(i), path, multi || tag == "multiline", f, n) // embedded: its fields are the parent's
					continue
				}
				name = sf.Name
			}
			if name == "password" || strings.HasSuffix(name, "_password") {
				continue
			}
			walkText(v.Field(i), join(path, name), multi || tag == "multiline", f, n)
		}
	}
}

func join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// fieldPath is the field of a message: the body itself is "body".
func fieldPath(path string) string {
	if path == "" {
		return "body"
	}
	return path
}
