package sso_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"
	"github.com/go-jose/go-jose/v4/jwt"
)

// provider is a minimal OpenID Connect provider running inside the test, built on go-jose: it
// publishes its discovery document and its signing key, authorizes whoever the test says
// (the person), checks the client's secret and the PKCE verifier at the token endpoint, and
// signs ID tokens with RS256. Its knobs make the bad answers: another audience, another
// issuer, another sign-in's nonce, an expired token, a token signed with a key it never
// published.
type provider struct {
	*httptest.Server
	clientID, secret string
	key, forger      *rsa.PrivateKey

	mu       sync.Mutex
	person   person
	codes    map[string]grant
	audience string // "" is the client id
	issuer   string // "" is the provider's own URL
	nonce    string // "" is the authorization request's
	expired  bool
	forged   bool
}

// person is who signs in at the provider.
type person struct {
	Subject, Email, Name string
	Unverified           bool
}

// grant is an authorization code's context.
type grant struct {
	challenge, nonce, redirect string
	who                        person
}

func newProvider(t testing.TB) *provider {
	p := &provider{clientID: "groupcamp-test", secret: "a-client-secret-of-the-idp", codes: map[string]grant{}}
	var err error
	if p.key, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	if p.forger, err = rsa.GenerateKey(rand.Reader, 2048); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/.well-known/openid-configuration", p.discovery)
	mux.HandleFunc("/keys", p.keys)
	mux.HandleFunc("/authorize", p.authorize)
	mux.HandleFunc("/token", p.token)
	p.Server = httptest.NewServer(mux)
	t.Cleanup(p.Close)
	return p
}

func (p *provider) set(fn func(p *provider)) { p.mu.Lock(); fn(p); p.mu.Unlock() }

func (p *provider) discovery(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, map[string]any{
		"issuer": p.URL, "authorization_endpoint": p.URL + "/authorize", "token_endpoint": p.URL + "/token",
		"jwks_uri": p.URL + "/keys", "response_types_supported": []string{"code"}, "subject_types_supported": []string{"public"},
		"id_token_signing_alg_values_supported": []string{"RS256"}, "code_challenge_methods_supported": []string{"S256"},
	})
}

func (p *provider) keys(w http.ResponseWriter, _ *http.Request) {
	writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &p.key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
}

// authorize approves at once for the current person and sends the browser back with a code.
func (p *provider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != p.clientID || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" || q.Get("code_challenge") == "" {
		http.Error(w, "bad authorization request", http.StatusBadRequest)
		return
	}
	code := randomString()
	p.mu.Lock()
	p.codes[code] = grant{challenge: q.Get("code_challenge"), nonce: q.Get("nonce"), redirect: q.Get("redirect_uri"), who: p.person}
	p.mu.Unlock()
	back, _ := url.Parse(q.Get("redirect_uri"))
	v := back.Query()
	v.Set("code", code)
	v.Set("state", q.Get("state"))
	back.RawQuery = v.Encode()
	http.Redirect(w, r, back.String(), http.StatusFound)
}

// token exchanges a code (once) for an ID token, checking the client and the PKCE verifier.
func (p *provider) token(w http.ResponseWriter, r *http.Request) {
	_ = r.ParseForm()
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	p.mu.Lock()
	g, found := p.codes[r.PostForm.Get("code")]
	delete(p.codes, r.PostForm.Get("code"))
	aud, expired, forged, iss, nonce := p.audience, p.expired, p.forged, p.issuer, p.nonce
	p.mu.Unlock()
	sum := sha256.Sum256([]byte(r.PostForm.Get("code_verifier")))
	switch {
	case id != p.clientID || secret != p.secret:
		writeError(w, "invalid_client")
		return
	case !found || g.redirect != r.PostForm.Get("redirect_uri"):
		writeError(w, "invalid_grant")
		return
	case base64.RawURLEncoding.EncodeToString(sum[:]) != g.challenge:
		writeError(w, "invalid_grant") // PKCE: the verifier is not the challenge's
		return
	}
	if aud == "" {
		aud = p.clientID
	}
	now := time.Now()
	exp := now.Add(5 * time.Minute)
	if expired {
		now, exp = now.Add(-2*time.Hour), now.Add(-time.Hour)
	}
	key := p.key
	if forged {
		key = p.forger // same key id, a key the provider never published
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", "k1"))
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	if iss == "" {
		iss = p.URL
	}
	if nonce == "" {
		nonce = g.nonce
	}
	claims := jwt.Claims{Issuer: iss, Subject: g.who.Subject, Audience: jwt.Audience{aud}, Expiry: jwt.NewNumericDate(exp), IssuedAt: jwt.NewNumericDate(now)}
	extra := map[string]any{"nonce": nonce, "email": g.who.Email, "email_verified": !g.who.Unverified, "name": g.who.Name}
	raw, err := jwt.Signed(signer).Claims(claims).Claims(extra).Serialize()
	if err != nil {
		http.Error(w, err.Error(), 500)
		return
	}
	writeJSON(w, map[string]any{"access_token": randomString(), "token_type": "Bearer", "expires_in": 300, "id_token": raw})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusBadRequest)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": code})
}

func randomString() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}
