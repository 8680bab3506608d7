// Package config turns GROUPCAMP_* environment variables and command-line flags into one
// validated Config. Flags win over the environment; every value is checked at start so that a
// bad setting stops the process with one line naming the variable, instead of failing later.
package config

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Config is everything the process needs to start.
type Config struct {
	Addr        string // listen address, host:port
	DataDir     string // files, the default SQLite database, the generated secret
	DatabaseURL string // sqlite:///path/to/file.db or postgres://...
	RedisURL    string // empty: embedded broker
	BaseURL     string // public URL used in links sent by mail
	SecretKey   string // signs CSRF tokens; generated into DataDir when not given
	Signup      string // open | closed
	SMTPURL     string // smtp://host:port; empty: dev mailbox
	Production  bool   // hides developer conveniences (dev mailbox page)
	LogLevel    string // debug | info | warn | error
	PluginsDir  string
	BlobURL     string // where files keep their bytes: s3://bucket?endpoint=...; empty: DataDir/files

	SessionIdle     time.Duration
	SessionAbsolute time.Duration
	// JobPoll is how often an idle worker looks for tasks in empty queues: the latency of a
	// job enqueued into an idle server (an email, an export; with Redis, events too).
	JobPoll time.Duration

	// TrustedProxies are the reverse proxies whose X-Forwarded-For / Forwarded headers name
	// the client (empty: none; the connection's peer is the client).
	TrustedProxies []netip.Prefix

	// WebhooksAllowLocal lets outgoing webhooks reach private, loopback and link-local
	// addresses (GROUPCAMP_WEBHOOKS_ALLOW_LOCAL): the operator's choice, never an account
	// admin's, since those addresses are the server's own network.
	WebhooksAllowLocal bool

	// SSOAllowHTTP lets an account's single sign-on issuer be a plain http:// URL (tests run
	// their OpenID provider on the loopback interface); off, issuers must be https.
	SSOAllowHTTP bool

	// SMTPInAddr is where the built-in SMTP receiver listens (core/mailin: replies to
	// notifications, mail to a project's address); empty: email in is off.
	SMTPInAddr string
	// SMTPInDomain is the domain of the reply and project addresses, whose MX points at the
	// receiver (default: the base URL's host).
	SMTPInDomain string

	// The seller the invoices name (modules/billing): the operator's company, its postal
	// address and VAT number (GROUPCAMP_SELLER_NAME, _ADDRESS, _VAT_NUMBER; empty: left out).
	SellerName      string
	SellerAddress   string
	SellerVATNumber string
	// The seller's bank account for wire transfers, printed on every invoice with the
	// invoice's number as the reference (GROUPCAMP_SELLER_IBAN, _BIC; empty: left out).
	SellerIBAN string
	SellerBIC  string
}

// InvalidError names the variable whose value is wrong.
type InvalidError struct {
	Var    string
	Reason string
}

func (e *InvalidError) Error() string { return e.Var + ": " + e.Reason }

type field struct {
	env, flag, def, usage string
	dst                   *string
}

// Load reads the environment and then args (without the program name) into a Config.
// The returned FlagSet lets callers print usage.
func Load(args []string, getenv func(string) string) (*Config, error) {
	if getenv == nil {
		getenv = os.Getenv
	}
	c := &Config{}
	var production, idle, absolute, proxies, jobPoll, hooksLocal string
	fields := []field{
		{"GROUPCAMP_ADDR", "addr", "127.0.0.1:8080", "listen address", &c.Addr},
		{"GROUPCAMP_DATA_DIR", "data-dir", "./data", "data directory", &c.DataDir},
		{"GROUPCAMP_DATABASE_URL", "database-url", "", "database URL (default: SQLite file in the data dir)", &c.DatabaseURL},
		{"GROUPCAMP_REDIS_URL", "redis-url", "", "Redis URL (default: embedded broker)", &c.RedisURL},
		{"GROUPCAMP_BASE_URL", "base-url", "", "public base URL (default: http://ADDR)", &c.BaseURL},
		{"GROUPCAMP_SECRET_KEY", "secret-key", "", "secret key, at least 32 characters (default: generated in the data dir)", &c.SecretKey},
		{"GROUPCAMP_SIGNUP", "signup", "open", "open or closed", &c.Signup},
		{"GROUPCAMP_SMTP_URL", "smtp-url", "", "smtp://host:port (default: dev mailbox)", &c.SMTPURL},
		{"GROUPCAMP_SMTP_IN_ADDR", "smtp-in-addr", "", "listen address of the SMTP receiver for email in, host:port (default: off)", &c.SMTPInAddr},
		{"GROUPCAMP_SMTP_IN_DOMAIN", "smtp-in-domain", "", "mail domain of the reply and project addresses (default: the base URL's host)", &c.SMTPInDomain},
		{"GROUPCAMP_PRODUCTION", "production", "false", "production mode (true/false)", &production},
		{"GROUPCAMP_LOG_LEVEL", "log-level", "info", "debug, info, warn or error", &c.LogLevel},
		{"GROUPCAMP_PLUGINS_DIR", "plugins-dir", "", "plugins directory", &c.PluginsDir},
		{"GROUPCAMP_BLOB_URL", "blob-url", "", "blob storage URL for files, s3://bucket?endpoint=... (default: the files folder of the data dir)", &c.BlobURL},
		{"GROUPCAMP_SESSION_IDLE", "session-idle", "168h", "session idle expiry", &idle},
		{"GROUPCAMP_SESSION_ABSOLUTE", "session-absolute", "720h", "session absolute expiry", &absolute},
		{"GROUPCAMP_JOB_POLL", "job-poll", "1s", "how often an idle worker looks for new jobs (10ms to 1m)", &jobPoll},
		{"GROUPCAMP_TRUSTED_PROXIES", "trusted-proxies", "", "reverse proxies whose X-Forwarded-For is believed: IPs or CIDRs, comma-separated (default: none)", &proxies},
		{"GROUPCAMP_SELLER_NAME", "seller-name", "", "the company named as seller on invoices", &c.SellerName},
		{"GROUPCAMP_SELLER_ADDRESS", "seller-address", "", "the seller's postal address on invoices", &c.SellerAddress},
		{"GROUPCAMP_SELLER_VAT_NUMBER", "seller-vat-number", "", "the seller's VAT number on invoices", &c.SellerVATNumber},
		{"GROUPCAMP_SELLER_IBAN", "seller-iban", "", "the seller's IBAN for wire transfers, printed on invoices", &c.SellerIBAN},
		{"GROUPCAMP_SELLER_BIC", "seller-bic", "", "the seller's BIC for wire transfers, printed on invoices", &c.SellerBIC},
		{"GROUPCAMP_WEBHOOKS_ALLOW_LOCAL", "webhooks-allow-local", "false", "let webhooks reach private and loopback addresses (true/false)", &hooksLocal},
	}
	fs := flag.NewFlagSet("groupcamp", flag.ContinueOnError)
	fs.SetOutput(os.Stderr)
	byFlag := map[string]field{}
	for _, f := range fields {
		v := getenv(f.env)
		if v == "" {
			v = f.def
		}
		fs.StringVar(f.dst, f.flag, v, f.usage+" ["+f.env+"]")
		byFlag[f.flag] = f
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, &InvalidError{Var: "arguments", Reason: fmt.Sprintf("unexpected %q", fs.Args())}
	}
	bad := func(flagName, reason string) error {
		return &InvalidError{Var: byFlag[flagName].env, Reason: reason}
	}

	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return nil, bad("addr", "want host:port, got "+quote(c.Addr))
	}
	if c.DataDir == "" {
		return nil, bad("data-dir", "must not be empty")
	}
	switch strings.ToLower(production) {
	case "true", "1", "yes":
		c.Production = true
	case "false", "0", "no", "":
	default:
		return nil, bad("production", "want true or false, got "+quote(production))
	}
	switch strings.ToLower(hooksLocal) {
	case "true", "1", "yes":
		c.WebhooksAllowLocal = true
	case "false", "0", "no", "":
	default:
		return nil, bad("webhooks-allow-local", "want true or false, got "+quote(hooksLocal))
	}
	var err error
	if c.SessionIdle, err = time.ParseDuration(idle); err != nil || c.SessionIdle < time.Minute {
		return nil, bad("session-idle", "want a duration of at least 1m, got "+quote(idle))
	}
	if c.SessionAbsolute, err = time.ParseDuration(absolute); err != nil || c.SessionAbsolute < c.SessionIdle {
		return nil, bad("session-absolute", "want a duration no shorter than the idle expiry, got "+quote(absolute))
	}
	if c.JobPoll, err = time.ParseDuration(jobPoll); err != nil || c.JobPoll < 10*time.Millisecond || c.JobPoll > time.Minute {
		return nil, bad("job-poll", "want a duration from 10ms to 1m, got "+quote(jobPoll))
	}
	if c.DatabaseURL == "" {
		c.DatabaseURL = "sqlite://" + filepath.Join(c.DataDir, "groupcamp.db")
	}
	if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "sqlite" && u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, bad("database-url", "want sqlite://PATH or postgres://..., got "+quote(redact(c.DatabaseURL)))
	}
	if c.RedisURL != "" {
		if u, err := url.Parse(c.RedisURL); err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
			return nil, bad("redis-url", "want redis://host:port, got "+quote(redact(c.RedisURL)))
		}
	}
	if c.BaseURL == "" {
		host, port, _ := net.SplitHostPort(c.Addr)
		if host == "" || host == "0.0.0.0" || host == "127.0.0.1" || host == "::" {
			host = "localhost"
		}
		c.BaseURL = "http://" + net.JoinHostPort(host, port)
	}
	if u, err := url.Parse(c.BaseURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, bad("base-url", "want http(s)://host[:port], got "+quote(c.BaseURL))
	}
	c.BaseURL = strings.TrimRight(c.BaseURL, "/")
	if c.SecretKey != "" && len(c.SecretKey) < 32 {
		return nil, bad("secret-key", "must be at least 32 characters")
	}
	if c.Signup != "open" && c.Signup != "closed" {
		return nil, bad("signup", "want open or closed, got "+quote(c.Signup))
	}
	if c.SMTPURL != "" {
		if u, err := url.Parse(c.SMTPURL); err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Host == "" {
			return nil, bad("smtp-url", "want smtp://host:port, got "+quote(redact(c.SMTPURL)))
		}
	}
	if c.SMTPInAddr != "" {
		if _, _, err := net.SplitHostPort(c.SMTPInAddr); err != nil {
			return nil, bad("smtp-in-addr", "want host:port, got "+quote(c.SMTPInAddr))
		}
		if c.SMTPInDomain == "" {
			u, _ := url.Parse(c.BaseURL)
			c.SMTPInDomain = u.Hostname()
		}
	}
	if d := c.SMTPInDomain; d != "" && (strings.ContainsAny(d, "@:/ <>") || !strings.Contains(d, ".") && d != "localhost") {
		return nil, bad("smtp-in-domain", "want a mail domain like in.example.com, got "+quote(d))
	}
	c.SMTPInDomain = strings.ToLower(c.SMTPInDomain)
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return nil, bad("log-level", "want debug, info, warn or error, got "+quote(c.LogLevel))
	}
	if c.TrustedProxies, err = ParseProxies(proxies); err != nil {
		return nil, bad("trusted-proxies", err.Error())
	}
	return c, nil
}

// ParseProxies reads a comma-separated list of IP addresses and CIDR ranges
// ("10.0.0.0/8, 192.168.1.5, ::1").
func ParseProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			if p = netip.PrefixFrom(p.Addr().Unmap(), p.Bits()-unmapBits(p.Addr())).Masked(); !p.IsValid() {
				return nil, fmt.Errorf("want IP addresses or CIDR ranges separated by commas, got %s", quote(part))
			}
			out = append(out, p)
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil || a.Zone() != "" {
			return nil, fmt.Errorf("want IP addresses or CIDR ranges separated by commas, got %s", quote(part))
		}
		a = a.Unmap()
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}

// unmapBits is what a prefix length loses when an IPv4-mapped IPv6 address is unmapped.
func unmapBits(a netip.Addr) int {
	if a.Is4In6() {
		return 96
	}
	return 0
}

// Secure reports whether the public URL is https, which decides the Secure cookie flag and HSTS.
func (c *Config) Secure() bool { return strings.HasPrefix(c.BaseURL, "https://") }

// IsPostgres reports whether the database is PostgreSQL.
func (c *Config) IsPostgres() bool { return strings.HasPrefix(c.DatabaseURL, "postgres") }

// EnsureDataDir creates the data directory and, when no secret key was given, loads or
// generates one in it (mode 0600), so that restarts keep signed tokens valid.
func (c *Config) EnsureDataDir() error {
	if err := os.MkdirAll(c.DataDir, 0o750); err != nil {
		return &InvalidError{Var: "GROUPCAMP_DATA_DIR", Reason: err.Error()}
	}
	if c.SecretKey != "" {
		return nil
	}
	path := filepath.Join(c.DataDir, "secret.key")
	b, err := os.ReadFile(path)
	if err == nil && len(strings.TrimSpace(string(b))) >= 32 {
		c.SecretKey = strings.TrimSpace(string(b))
		return nil
	}
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return &InvalidError{Var: "GROUPCAMP_DATA_DIR", Reason: err.Error()}
	}
	buf := make([]byte, 32)
	_, _ = rand.Read(buf)
	c.SecretKey = hex.EncodeToString(buf)
	if err := os.WriteFile(path, []byte(c.SecretKey+"\n"), 0o600); err != nil {
		return &InvalidError{Var: "GROUPCAMP_DATA_DIR", Reason: err.Error()}
	}
	return nil
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

// redact hides a password in a URL before it is printed.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}
