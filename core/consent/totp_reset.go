package consent

import (
	"context"
	"strings"

	"github.com/gofiber/fiber/v2"

	"groupcamp/core/actor"
	"groupcamp/core/api"
	"groupcamp/core/db"
	"groupcamp/core/identity"
	"groupcamp/core/problem"
)

// TOTPResetInput names the person whose two-factor sign-in support resets.
type TOTPResetInput struct {
	UserID int64 `json:"user_id" openapi:"required" example:"42"`
}

// A person who lost their phone and their recovery codes cannot sign in: platform support
// may reset their two-factor sign-in, but only at a support request the account opened (the
// person, or an administrator for them), never on its own, and the reset is written into that
// request's thread and the account's audit trail, where the owner sees it.

// ResetTOTP resets the two-factor sign-in of a member of the account of slug, at support
// request id (opened by the account). ResetTOTPFor is core/auth's.
func (s *Service) ResetTOTP(ctx context.Context, a *actor.Actor, slug string, id int64, in TOTPResetInput,
	reset func(ctx context.Context, a *actor.Actor, accountID, userID int64) (string, error)) (*Reply, error) {
	if a.PlatformRole != actor.PlatformSupport {
		return nil, problem.Forbidden("only platform support resets two-factor sign-in")
	}
	acc, err := s.reach(ctx, a, slug)
	if err != nil {
		return nil, err
	}
	var req SupportRequest
	if err := s.DB.NewSelect().Model(&req).Where("account_id = ? AND id = ?", acc.ID, id).Scan(ctx); err != nil {
		if db.IsNotFound(err) {
			return nil, problem.NotFound()
		}
		return nil, err
	}
	if req.Side != SideAccount {
		return nil, problem.Conflict("id", "two-factor sign-in is reset only at a request the account opened")
	}
	n, err := s.DB.NewSelect().Model((*identity.Membership)(nil)).Where("account_id = ? AND user_id = ?", acc.ID, in.UserID).Count(ctx)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, problem.Invalid(problem.FieldError{Field: "user_id", Message: "is not a member of the account"})
	}
	email, err := reset(ctx, a, acc.ID, in.UserID)
	if err != nil {
		return nil, err
	}
	body := "Two-factor sign-in of " + email + " was reset by platform support at this request. They sign in with their password and set it up again from their profile."
	return s.reply(ctx, a, acc.ID, id, SideSupport, ReplyInput{Body: body}, "platform.totp_reset")
}

// TOTPRoutes registers support's reset (the App passes core/auth's ResetTOTPFor).
func (h *HTTP) TOTPRoutes(r *api.Routes, reset func(ctx context.Context, a *actor.Actor, accountID, userID int64) (string, error)) {
	r.Post("/api/v1/platform/accounts/:slug/support-requests/:id/totp-reset", api.Platform("*"), func(c *fiber.Ctx) error {
		id, err := api.PathID(c, "id")
		if err != nil {
			return err
		}
		var in TOTPResetInput
		if err := api.Decode(c, &in); err != nil {
			return err
		}
		rp, err := h.Svc.ResetTOTP(c.UserContext(), actor.From(c), strings.Clone(c.Params("slug")), id, in, reset)
		if err != nil {
			return err
		}
		return api.JSON(c, fiber.StatusCreated, rp)
	}, api.Doc{Summary: "Support: reset a member's two-factor sign-in at a support request the account opened (written into its thread and the audit trail)",
		Tag: "Platform", Request: TOTPResetInput{}, Response: Reply{}, Status: fiber.StatusCreated})
}
