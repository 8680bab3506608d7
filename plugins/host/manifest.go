package host

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"github.com/robfig/cron/v3"

	"groupcamp/plugins/sdk"
)

// ManifestFile is the manifest's name in a plugin's folder.
const ManifestFile = "plugin.json"

// Manifest describes a plugin: who made it, what it asks for, what it serves, and the
// SHA-256 of its binary (the host refuses a binary that does not match).
type Manifest struct {
	Name        string `json:"name"`
	Version     string `json:"version"`
	Description string `json:"description"`
	Author      string `json:"author"`
	// Binary is the executable's file name, in the manifest's folder.
	Binary string `json:"binary"`
	SHA256 string `json:"sha256"`
	// Capabilities are what the plugin asks to read through the Host API (sdk.Cap*); the
	// account's admin grants some or all of them.
	Capabilities []string `json:"capabilities"`
	// Sections are the page sections it renders in the client portal.
	Sections []Section `json:"sections,omitempty"`
	// Events are the event types it listens to ("*" for all).
	Events []string `json:"events,omitempty"`
	// HTTP is true when it answers requests under /{slug}/x/{name}/.
	HTTP bool `json:"http,omitempty"`
	// Settings is the JSON Schema of the account settings it reads (settings.go): the admin's
	// form is made from it, and the values are checked against it.
	Settings json.RawMessage `json:"settings,omitempty"`
	// schema is Settings read and compiled (nil for none).
	schema *settingsSchema
	// Jobs are its scheduled jobs, run for each account that enabled it.
	Jobs []Job `json:"jobs,omitempty"`
}

// Job is a scheduled job: a key and a schedule (five cron fields, or @hourly, @daily...).
type Job struct {
	Key      string `json:"key"`
	Schedule string `json:"schedule"`
}

// Section is one page section a plugin renders.
type Section struct {
	Key   string `json:"key"`
	Title string `json:"title"`
	// Place is where it shows: "portal" (the default), the client portal's plugin page, for
	// clients; or "home", the colleagues' home page (the intranet's).
	Place string `json:"place,omitempty"`
}

// Where a section shows (Section.Place).
const (
	PlacePortal = "portal"
	PlaceHome   = "home"
)

// At reports whether the section shows at place.
func (s Section) At(place string) bool {
	if s.Place == "" {
		return place == PlacePortal
	}
	return s.Place == place
}

// Capabilities the host knows; a manifest asking for another is invalid.
var knownCaps = sdk.Capabilities

var (
	nameRE = regexp.MustCompile(`^[a-z][a-z0-9-]{1,39}$`)
	keyRE  = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,39}$`)
)

// Listens reports whether the plugin asked for events of typ.
func (m *Manifest) Listens(typ string) bool {
	return slices.Contains(m.Events, "*") || slices.Contains(m.Events, typ)
}

// HasSection reports whether the plugin declared the section key.
func (m *Manifest) HasSection(key string) bool {
	return slices.ContainsFunc(m.Sections, func(s Section) bool { return s.Key == key })
}

// validate checks what the host relies on: a name fit for URLs, a binary in the folder, a
// checksum, known capabilities, sane keys.
func (m *Manifest) validate() error {
	var errs []error
	if !nameRE.MatchString(m.Name) {
		errs = append(errs, fmt.Errorf("name %q: want 2 to 40 of a-z, 0-9 and -, starting with a letter", m.Name))
	}
	if m.Binary == "" || m.Binary != filepath.Base(m.Binary) || strings.HasPrefix(m.Binary, ".") {
		errs = append(errs, fmt.Errorf("binary %q: want a file name in the manifest's folder", m.Binary))
	}
	if b, err := hex.DecodeString(m.SHA256); err != nil || len(b) != sha256.Size {
		errs = append(errs, errors.New("sha256: want the 64 hex digits of the binary's SHA-256"))
	}
	for _, c := range m.Capabilities {
		if !slices.Contains(knownCaps, c) {
			errs = append(errs, fmt.Errorf("capability %q: unknown (known: %s)", c, strings.Join(knownCaps, ", ")))
		}
	}
	for _, s := range m.Sections {
		if !keyRE.MatchString(s.Key) || s.Title == "" || len(s.Title) > 80 {
			errs = append(errs, fmt.Errorf("section %q: want a key of a-z, 0-9, _ and - and a title of 1 to 80 characters", s.Key))
		}
		if s.Place != "" && s.Place != PlacePortal && s.Place != PlaceHome {
			errs = append(errs, fmt.Errorf("section %q: place %q: want %q or %q", s.Key, s.Place, PlacePortal, PlaceHome))
		}
	}
	for _, j := range m.Jobs {
		if _, err := cron.ParseStandard(j.Schedule); !keyRE.MatchString(j.Key) || err != nil {
			errs = append(errs, fmt.Errorf("job %q: want a key of a-z, 0-9, _ and - and a cron schedule (%q)", j.Key, j.Schedule))
		}
	}
	schema, err := parseSettings(m.Settings)
	if err != nil {
		errs = append(errs, err)
	}
	m.schema = schema
	if len(m.Description) > 500 || len(m.Author) > 200 || len(m.Version) > 40 {
		errs = append(errs, errors.New("description, author or version too long"))
	}
	return errors.Join(errs...)
}

// readManifest reads and validates the manifest of the folder dir.
func readManifest(dir string) (*Manifest, error) {
	f, err := os.Open(filepath.Join(dir, ManifestFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var m Manifest
	dec := json.NewDecoder(io.LimitReader(f, 64<<10))
	if err := dec.Decode(&m); err != nil {
		return nil, fmt.Errorf("%s: %w", ManifestFile, err)
	}
	if err := m.validate(); err != nil {
		return nil, err
	}
	return &m, nil
}

// FileSHA256 is the hex SHA-256 of the file at path (what a manifest's sha256 holds).
func FileSHA256(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
