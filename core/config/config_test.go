package config_test

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"groupcamp/core/config"
)

// env returns a getenv over a fixed map, so no test depends on the real environment.
func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

func TestDefaults(t *testing.T) {
	c, err := config.Load(nil, env(nil))
	if err != nil {
		t.Fatal(err)
	}
	want := config.Config{
		Addr:            "127.0.0.1:8080",
		DataDir:         "./data",
		DatabaseURL:     "sqlite://data/groupcamp.db",
		BaseURL:         "http://localhost:8080",
		Signup:          "open",
		LogLevel:        "info",
		SessionIdle:     168 * time.Hour,
		SessionAbsolute: 720 * time.Hour,
		JobPoll:         time.Second,
	}
	if !reflect.DeepEqual(*c, want) {
		t.Fatalf("defaults:\n got %+v\nwant %+v", *c, want)
	}
	if c.IsPostgres() || c.Secure() {
		t.Fatalf("defaults: IsPostgres=%v Secure=%v, want both false", c.IsPostgres(), c.Secure())
	}
}

func TestEnvironmentIsRead(t *testing.T) {
	c, err := config.Load(nil, env(map[string]string{
		"GROUPCAMP_ADDR":             "0.0.0.0:9000",
		"GROUPCAMP_DATA_DIR":         "/srv/gc",
		"GROUPCAMP_DATABASE_URL":     "postgres://gc:pw@db:5432/gc",
		"GROUPCAMP_REDIS_URL":        "redis://cache:6379/1",
		"GROUPCAMP_BASE_URL":         "https://work.example.com/",
		"GROUPCAMP_SECRET_KEY":       strings.Repeat("k", 32),
		"GROUPCAMP_SIGNUP":           "closed",
		"GROUPCAMP_SMTP_URL":         "smtp://mail:25",
		"GROUPCAMP_PRODUCTION":       "yes",
		"GROUPCAMP_LOG_LEVEL":        "debug",
		"GROUPCAMP_PLUGINS_DIR":      "/srv/plugins",
		"GROUPCAMP_SESSION_IDLE":     "1h",
		"GROUPCAMP_SESSION_ABSOLUTE": "24h",
		"GROUPCAMP_JOB_POLL":         "250ms",
		"GROUPCAMP_SMTP_IN_ADDR":     "0.0.0.0:25",
	}))
	if err != nil {
		t.Fatal(err)
	}
	want := config.Config{
		Addr: "0.0.0.0:9000", DataDir: "/srv/gc", DatabaseURL: "postgres://gc:pw@db:5432/gc",
		RedisURL: "redis://cache:6379/1", BaseURL: "https://work.example.com", SecretKey: strings.Repeat("k", 32),
		Signup: "closed", SMTPURL: "smtp://mail:25", Production: true, LogLevel: "debug", PluginsDir: "/srv/plugins",
		SessionIdle: time.Hour, SessionAbsolute: 24 * time.Hour, JobPoll: 250 * time.Millisecond,
		SMTPInAddr: "0.0.0.0:25", SMTPInDomain: "work.example.com", // the base URL's host
	}
	if !reflect.DeepEqual(*c, want) {
		t.Fatalf("from env:\n got %+v\nwant %+v", *c, want)
	}
	if !c.IsPostgres() || !c.Secure() {
		t.Fatalf("IsPostgres=%v Secure=%v, want both true", c.IsPostgres(), c.Secure())
	}
}

func TestFlagsWinOverEnvironment(t *testing.T) {
	c, err := config.Load(
		[]string{"--addr", "127.0.0.1:7000", "-signup=closed", "--log-level", "warn"},
		env(map[string]string{"GROUPCAMP_ADDR": "127.0.0.1:9000", "GROUPCAMP_SIGNUP": "open", "GROUPCAMP_LOG_LEVEL": "debug", "GROUPCAMP_DATA_DIR": "/tmp/x"}),
	)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || c.Signup != "closed" || c.LogLevel != "warn" {
		t.Fatalf("flags must win: addr=%q signup=%q log=%q", c.Addr, c.Signup, c.LogLevel)
	}
	if c.DataDir != "/tmp/x" {
		t.Fatalf("unset flag must keep the environment value: data dir %q", c.DataDir)
	}
	if c.BaseURL != "http://localhost:7000" {
		t.Fatalf("base URL follows the flag address: %q", c.BaseURL)
	}
	if c.DatabaseURL != "sqlite:///tmp/x/groupcamp.db" {
		t.Fatalf("database follows the data dir: %q", c.DatabaseURL)
	}
}

func TestBaseURLDefaultsToTheListenAddress(t *testing.T) {
	for addr, want := range map[string]string{
		"0.0.0.0:8081":      "http://localhost:8081",
		":8082":             "http://localhost:8082",
		"[::]:8083":         "http://localhost:8083",
		"10.1.2.3:8084":     "http://10.1.2.3:8084",
		"gc.internal:8085":  "http://gc.internal:8085",
		"127.0.0.1:8086":    "http://localhost:8086",
		"[2001:db8::1]:443": "http://[2001:db8::1]:443",
	} {
		c, err := config.Load(nil, env(map[string]string{"GROUPCAMP_ADDR": addr}))
		if err != nil {
			t.Fatalf("%s: %v", addr, err)
		}
		if c.BaseURL != want {
			t.Errorf("addr %s: base URL %q, want %q", addr, c.BaseURL, want)
		}
	}
}

func TestBadValuesNameTheVariable(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string // the variable the error must name
	}{
		{"addr without port", map[string]string{"GROUPCAMP_ADDR": "localhost"}, nil, "GROUPCAMP_ADDR"},
		{"addr flag", nil, []string{"--addr", "nonsense"}, "GROUPCAMP_ADDR"},
		{"empty data dir", nil, []string{"--data-dir", ""}, "GROUPCAMP_DATA_DIR"},
		{"signup maybe", map[string]string{"GROUPCAMP_SIGNUP": "maybe"}, nil, "GROUPCAMP_SIGNUP"},
		{"signup flag", nil, []string{"--signup", "Open"}, "GROUPCAMP_SIGNUP"},
		{"database scheme mysql", map[string]string{"GROUPCAMP_DATABASE_URL": "mysql://root@db/gc"}, nil, "GROUPCAMP_DATABASE_URL"},
		{"database bare path", map[string]string{"GROUPCAMP_DATABASE_URL": "/var/lib/gc.db"}, nil, "GROUPCAMP_DATABASE_URL"},
		{"redis scheme", map[string]string{"GROUPCAMP_REDIS_URL": "http://cache:6379"}, nil, "GROUPCAMP_REDIS_URL"},
		{"redis without host", map[string]string{"GROUPCAMP_REDIS_URL": "redis://"}, nil, "GROUPCAMP_REDIS_URL"},
		{"smtp scheme", map[string]string{"GROUPCAMP_SMTP_URL": "mail.example.com:25"}, nil, "GROUPCAMP_SMTP_URL"},
		{"smtp without host", map[string]string{"GROUPCAMP_SMTP_URL": "smtp://"}, nil, "GROUPCAMP_SMTP_URL"},
		{"base URL scheme", map[string]string{"GROUPCAMP_BASE_URL": "ftp://example.com"}, nil, "GROUPCAMP_BASE_URL"},
		{"base URL without host", map[string]string{"GROUPCAMP_BASE_URL": "https://"}, nil, "GROUPCAMP_BASE_URL"},
		{"log level", map[string]string{"GROUPCAMP_LOG_LEVEL": "verbose"}, nil, "GROUPCAMP_LOG_LEVEL"},
		{"log level case", nil, []string{"--log-level", "INFO"}, "GROUPCAMP_LOG_LEVEL"},
		{"secret key too short", map[string]string{"GROUPCAMP_SECRET_KEY": strings.Repeat("s", 31)}, nil, "GROUPCAMP_SECRET_KEY"},
		{"production", map[string]string{"GROUPCAMP_PRODUCTION": "maybe"}, nil, "GROUPCAMP_PRODUCTION"},
		{"session idle not a duration", map[string]string{"GROUPCAMP_SESSION_IDLE": "a week"}, nil, "GROUPCAMP_SESSION_IDLE"},
		{"session idle too short", map[string]string{"GROUPCAMP_SESSION_IDLE": "30s"}, nil, "GROUPCAMP_SESSION_IDLE"},
		{"session absolute not a duration", map[string]string{"GROUPCAMP_SESSION_ABSOLUTE": "forever"}, nil, "GROUPCAMP_SESSION_ABSOLUTE"},
		{"trusted proxies not an address", map[string]string{"GROUPCAMP_TRUSTED_PROXIES": "10.0.0.1, proxy.local"}, nil, "GROUPCAMP_TRUSTED_PROXIES"},
		{"trusted proxies bad CIDR", nil, []string{"--trusted-proxies", "10.0.0.0/33"}, "GROUPCAMP_TRUSTED_PROXIES"},
		{"trusted proxies with a port", map[string]string{"GROUPCAMP_TRUSTED_PROXIES": "10.0.0.1:443"}, nil, "GROUPCAMP_TRUSTED_PROXIES"},
		{"job poll not a duration", map[string]string{"GROUPCAMP_JOB_POLL": "often"}, nil, "GROUPCAMP_JOB_POLL"},
		{"job poll too short", nil, []string{"--job-poll", "1ms"}, "GROUPCAMP_JOB_POLL"},
		{"job poll too long", map[string]string{"GROUPCAMP_JOB_POLL": "2m"}, nil, "GROUPCAMP_JOB_POLL"},
		{"smtp in without port", map[string]string{"GROUPCAMP_SMTP_IN_ADDR": "mx.example.com"}, nil, "GROUPCAMP_SMTP_IN_ADDR"},
		{"smtp in domain an address", map[string]string{"GROUPCAMP_SMTP_IN_ADDR": ":2525", "GROUPCAMP_SMTP_IN_DOMAIN": "reply@in.example.com"}, nil, "GROUPCAMP_SMTP_IN_DOMAIN"},
		{"session absolute shorter than idle", map[string]string{"GROUPCAMP_SESSION_IDLE": "2h", "GROUPCAMP_SESSION_ABSOLUTE": "1h"}, nil, "GROUPCAMP_SESSION_ABSOLUTE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(tc.args, env(tc.env))
			if err == nil {
				t.Fatalf("accepted: %+v", c)
			}
			var inv *config.InvalidError
			if !errors.As(err, &inv) {
				t.Fatalf("error %T %v, want *config.InvalidError", err, err)
			}
			if inv.Var != tc.want {
				t.Fatalf("error names %q (%v), want %q", inv.Var, err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), tc.want+": ") || inv.Reason == "" {
				t.Fatalf("message %q must start with the variable and give a reason", err.Error())
			}
		})
	}
}

func TestPasswordsAreRedactedInErrors(t *testing.T) {
	_, err := config.Load(nil, env(map[string]string{"GROUPCAMP_REDIS_URL": "http://user:hunter2secret@cache:6379"}))
	if err == nil {
		t.Fatal("accepted a bad redis URL")
	}
	if strings.Contains(err.Error(), "hunter2secret") {
		t.Fatalf("the password leaked into the message: %v", err)
	}
}

func TestStrayArgumentsAreRefused(t *testing.T) {
	_, err := config.Load([]string{"extra"}, env(nil))
	var inv *config.InvalidError
	if !errors.As(err, &inv) {
		t.Fatalf("error %v, want *config.InvalidError", err)
	}
}

func TestEnsureDataDirGeneratesTheSecretOnce(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "nested", "data")
	c, err := config.Load(nil, env(map[string]string{"GROUPCAMP_DATA_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if c.SecretKey != "" {
		t.Fatal("no secret was given, none should be set before EnsureDataDir")
	}
	if err := c.EnsureDataDir(); err != nil {
		t.Fatal(err)
	}
	if len(c.SecretKey) < 32 {
		t.Fatalf("generated secret %q is shorter than 32 characters", c.SecretKey)
	}
	path := filepath.Join(dir, "secret.key")
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if mode := st.Mode().Perm(); mode != 0o600 {
		t.Fatalf("secret.key mode %o, want 600", mode)
	}
	b, _ := os.ReadFile(path)
	if strings.TrimSpace(string(b)) != c.SecretKey {
		t.Fatalf("file holds %q, config has %q", b, c.SecretKey)
	}

	// A second start reads the same secret instead of making a new one.
	c2, err := config.Load(nil, env(map[string]string{"GROUPCAMP_DATA_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c2.EnsureDataDir(); err != nil {
		t.Fatal(err)
	}
	if c2.SecretKey != c.SecretKey {
		t.Fatalf("second start got secret %q, want the stored %q", c2.SecretKey, c.SecretKey)
	}
	b2, _ := os.ReadFile(path)
	if string(b2) != string(b) {
		t.Fatal("the secret file was rewritten")
	}
}

func TestEnsureDataDirKeepsAGivenSecret(t *testing.T) {
	dir := t.TempDir()
	given := strings.Repeat("g", 40)
	c, err := config.Load(nil, env(map[string]string{"GROUPCAMP_DATA_DIR": dir, "GROUPCAMP_SECRET_KEY": given}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.EnsureDataDir(); err != nil {
		t.Fatal(err)
	}
	if c.SecretKey != given {
		t.Fatalf("secret %q, want the given one", c.SecretKey)
	}
	if _, err := os.Stat(filepath.Join(dir, "secret.key")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a given secret must not be written to disk (stat: %v)", err)
	}
}

func TestEnsureDataDirReplacesAnUnusableSecretFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "secret.key")
	if err := os.WriteFile(path, []byte("short\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(nil, env(map[string]string{"GROUPCAMP_DATA_DIR": dir}))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.EnsureDataDir(); err != nil {
		t.Fatal(err)
	}
	if len(c.SecretKey) < 32 || c.SecretKey == "short" {
		t.Fatalf("a too-short stored secret must be replaced, got %q", c.SecretKey)
	}
}

func TestEnsureDataDirErrorNamesTheDataDir(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(nil, env(map[string]string{"GROUPCAMP_DATA_DIR": filepath.Join(file, "data")}))
	if err != nil {
		t.Fatal(err)
	}
	err = c.EnsureDataDir()
	var inv *config.InvalidError
	if !errors.As(err, &inv) || inv.Var != "GROUPCAMP_DATA_DIR" {
		t.Fatalf("error %v, want an InvalidError naming GROUPCAMP_DATA_DIR", err)
	}
}

func TestTrustedProxies(t *testing.T) {
	c, err := config.Load(nil, env(map[string]string{"GROUPCAMP_TRUSTED_PROXIES": " 10.0.0.0/8, 192.168.1.5 ,,::1, 2001:db8::/32, ::ffff:172.16.0.0/108, 10.1.2.3/8"}))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range c.TrustedProxies {
		got = append(got, p.String())
	}
	want := []string{"10.0.0.0/8", "192.168.1.5/32", "::1/128", "2001:db8::/32", "172.16.0.0/12", "10.0.0.0/8"}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("trusted proxies %q, want %q", got, want)
	}
	if !c.TrustedProxies[0].Contains(netip.MustParseAddr("10.200.0.1")) {
		t.Fatal("10.0.0.0/8 does not hold 10.200.0.1")
	}
	if d, _ := config.Load(nil, env(nil)); len(d.TrustedProxies) != 0 {
		t.Fatalf("default trusted proxies %v, want none", d.TrustedProxies)
	}
}
