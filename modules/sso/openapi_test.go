package sso_test

import (
	"strings"
	"testing"

	"groupcamp/core/testkit"
)

// TestOpenAPI: the sign-in routes of shared/API.md (SSO settings, two-factor enrolment) are
// in the valid OpenAPI document, with examples, and the login documents its totp field.
func TestOpenAPI(t *testing.T) {
	e := testkit.Shared(t, "sqlite", options())
	doc := e.OpenAPI(t)
	doc.Documents(t, "get /api/v1/{slug}/sso", "put /api/v1/{slug}/sso",
		"get /api/v1/me/totp", "post /api/v1/me/totp", "post /api/v1/me/totp/confirm", "delete /api/v1/me/totp")
	doc.Examples(t, func(p string) bool { return strings.HasSuffix(p, "/sso") || strings.Contains(p, "/me/totp") })
	if doc.Dig("components", "schemas", "LoginInput", "properties", "totp") == nil {
		t.Error("the login does not document totp")
	}
	if doc.Dig("components", "schemas", "SSOSettings", "properties", "client_secret") != nil {
		t.Error("the settings answer documents the client secret")
	}
}
