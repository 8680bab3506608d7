package auth

import (
	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
)

// totpDoc explains two-factor sign-in in the OpenAPI document.
const totpDoc = "Two-factor sign-in with TOTP (RFC 6238: 6 digits, 30 s). `POST /api/v1/me/totp` starts an enrolment " +
	"(from a signed-in session, not an API token) and answers the secret and its `otpauth://` URL; " +
	"`POST /api/v1/me/totp/confirm` with the app's current code turns it on and answers ten single-use recovery codes, shown once. " +
	"From then on `POST /api/v1/login` needs `totp` (or `recovery_code`): without it the answer is 401 with `errors: [{field: \"totp\"}]`; " +
	"a code is accepted once (a reused one is refused), and wrong codes count toward the sign-in throttle. Personal API tokens are unaffected."

func (h *HTTP) totpRoutes(r *api.Routes) {
	const tag = "Core"
	r.Get("/api/v1/me/totp", api.Authenticated(), h.totpState, api.Doc{Summary: "Your two-factor sign-in state", Tag: tag, Response: TOTPStatus{}})
	r.Post("/api/v1/me/totp", api.Authenticated(), h.enrolTOTP, api.Doc{Summary: "Start enrolling an authenticator app", Description: totpDoc, Tag: tag, Response: TOTPEnrolment{}})
	r.Post("/api/v1/me/totp/confirm", api.Authenticated(), h.confirmTOTP, api.Doc{Summary: "Turn two-factor sign-in on with the app's first code; answers the recovery codes (shown once)", Tag: tag, Request: TOTPCode{}, Response: RecoveryCodes{}})
	r.Delete("/api/v1/me/totp", api.Authenticated(), h.disableTOTP, api.Doc{Summary: "Turn two-factor sign-in off (your password or a current code)", Tag: tag, Request: TOTPOff{}, Status: 204})
}

func (h *HTTP) totpState(c *fiber.Ctx) error {
	st, err := h.Svc.TOTPState(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	return c.JSON(st)
}

func (h *HTTP) enrolTOTP(c *fiber.Ctx) error {
	key, err := h.Svc.EnrolTOTP(c.UserContext(), actor.From(c))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(TOTPEnrolment{Secret: key.Secret(), OtpauthURL: key.URL()})
}

func (h *HTTP) confirmTOTP(c *fiber.Ctx) error {
	var in TOTPCode
	if err := api.Decode(c, &in); err != nil {
		return err
	}
	codes, err := h.Svc.ConfirmTOTP(c.UserContext(), actor.From(c), in)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(codes)
}

func (h *HTTP) disableTOTP(c *fiber.Ctx) error {
	var in TOTPOff
	if len(c.Body()) > 0 {
		if err := api.Decode(c, &in); err != nil {
			return err
		}
	}
	if err := h.Svc.DisableTOTP(c.UserContext(), actor.From(c), in); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
