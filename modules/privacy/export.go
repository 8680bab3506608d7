package privacy

import (
	"archive/zip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"strconv"
	"time"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/core/problem"
)

// RequestExport starts an export of the signed-in person's data, or returns the one already
// under way.
func (s *Service) RequestExport(ctx context.Context, a *actor.Actor) (*Request, error) {
	var r *Request
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		st := s.store(tx, a.AccountID())
		if open, err := st.open(ctx, KindExport, a.UserID); err == nil {
			r = open
			return nil
		} else if !db.IsNotFound(err) {
			return err
		}
		// During the grace period the person may still take their data; not once it is going.
		if e, err := st.open(ctx, KindErasure, a.UserID); err == nil && (e.State == StateQueued || e.State == StateRunning) {
			return problem.Conflict("erasure", "your data is being erased; an export can no longer be made")
		}
		now := s.clock()
		uid := a.UserID
		r = &Request{AccountID: a.AccountID(), Kind: KindExport, UserID: &uid, RequestedBy: &uid, State: StateQueued, CreatedAt: now, UpdatedAt: now}
		if err := st.insert(ctx, r); err != nil {
			return err
		}
		return audit.Record(ctx, tx, a, a.AccountID(), "privacy.export_requested", "", nil)
	})
	if err != nil {
		return nil, err
	}
	if r.State == StateQueued {
		if err := s.enqueue(ctx, r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Export returns one of the signed-in person's exports, with its link when it is ready.
func (s *Service) Export(ctx context.Context, a *actor.Actor, id int64) (*Request, error) {
	r, err := s.store(s.DB, a.AccountID()).request(ctx, id)
	if db.IsNotFound(err) || (err == nil && (r.Kind != KindExport || r.UserID == nil || *r.UserID != a.UserID)) {
		return nil, problem.NotFound()
	}
	if err != nil {
		return nil, err
	}
	if r.State == StateReady {
		r.URL = s.downloadURL(a.Account.Slug, r)
	}
	return r, nil
}

// MyRequests lists the signed-in person's requests, newest first.
func (s *Service) MyRequests(ctx context.Context, a *actor.Actor) ([]Request, error) {
	list, err := s.store(s.DB, a.AccountID()).mine(ctx, a.UserID, 20)
	for i := range list {
		if list[i].State == StateReady && list[i].Kind == KindExport {
			list[i].URL = s.downloadURL(a.Account.Slug, &list[i])
		}
	}
	return list, err
}

func (s *Service) downloadURL(slug string, r *Request) string {
	return "/" + slug + "/me/privacy/exports/" + strconv.FormatInt(r.ID, 10) + "/download?token=" + s.token(r)
}

// Download hands the archive of a ready export to the person who asked for it, once, within
// a day; the archive is deleted as it is handed over. A used or expired link is 410.
func (s *Service) Download(ctx context.Context, a *actor.Actor, id int64, token string) (*os.File, string, error) {
	r, err := s.Export(ctx, a, id)
	if err != nil {
		return nil, "", err
	}
	if !s.validToken(r, token) {
		return nil, "", problem.NotFound()
	}
	if r.State != StateReady {
		return nil, "", problem.Gone("this download link has been used or has expired; ask for a new export")
	}
	// Open before marking it used: the file stays readable after it is removed, so the
	// archive is gone from the disk as soon as the person has it.
	p := s.exportPath(a.AccountID(), id)
	f, err := os.Open(p)
	if err != nil {
		return nil, "", problem.Gone("this export is no longer available; ask for a new one")
	}
	ok, err := s.store(s.DB, a.AccountID()).use(ctx, id, s.clock())
	if err != nil || !ok {
		f.Close()
		if err == nil {
			err = problem.Gone("this download link has been used or has expired; ask for a new export")
		}
		return nil, "", err
	}
	_ = os.Remove(p)
	name := fmt.Sprintf("groupcamp-%s-%s.zip", a.Account.Slug, r.CreatedAt.Format("2006-01-02"))
	return f, name, nil
}

// errCancelled stops an export that an erasure overtook.
var errCancelled = errors.New("privacy: the request was cancelled")

// runExport builds the archive: the access report, then each provider's documents and files
// under the module's folder. It is the job's body; it may run again after a crash.
func (s *Service) runExport(ctx context.Context, accountID, id int64) error {
	st := s.store(s.DB, accountID)
	r, err := s.start(ctx, st, id)
	if err != nil || r == nil {
		return err
	}
	acc, err := s.People.AccountByID(ctx, accountID)
	if err != nil {
		return err
	}
	subj, m, err := s.subject(ctx, accountID, *r.UserID)
	if err != nil {
		return s.fail(ctx, st, r, err)
	}
	if err := os.MkdirAll(s.accountDir(accountID), 0o700); err != nil {
		return err
	}
	final := s.exportPath(accountID, id)
	tmp := final + ".part"
	err = s.writeArchive(ctx, st, r, tmp, func(z *zipExporter) error {
		a := system(accountID)
		a.UserID, a.Account.Name, a.Account.Slug = subj.UserID, acc.Name, acc.Slug
		if u, err := s.People.User(ctx, subj.UserID); err == nil {
			a.Locale = u.Locale // the report reads in the person's language
		}
		report, err := s.Report(ctx, a, a.Locale)
		if err != nil {
			return err
		}
		if err := z.JSON("report.json", report); err != nil {
			return err
		}
		providers := s.Hooks.PersonalData
		for i, p := range providers {
			if cur, err := st.request(ctx, id); err != nil || cur.State != StateRunning {
				return errCancelled
			}
			z.dir = p.Module
			if err := p.Hook.Export(ctx, subj, z); err != nil {
				return fmt.Errorf("%s: %w", p.Module, err)
			}
			if err := st.progress(ctx, id, 5+90*(i+1)/len(providers), s.clock()); err != nil {
				return err
			}
		}
		return nil
	})
	if errors.Is(err, errCancelled) {
		_ = os.Remove(tmp)
		return nil
	}
	if err != nil {
		_ = os.Remove(tmp)
		if ctx.Err() != nil {
			return err // shutting down: the job runs again
		}
		return s.fail(ctx, st, r, err)
	}
	if err := os.Rename(tmp, final); err != nil {
		return err
	}
	now := s.clock()
	expires := now.Add(LinkLife)
	r.ExpiresAt = &expires
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		ok, err := s.store(tx, accountID).move(ctx, id, StateReady, now, StateRunning)
		if err != nil || !ok {
			_ = os.Remove(final)
			return err
		}
		if err := s.store(tx, accountID).finish(ctx, id, StateReady, "", &expires, now); err != nil {
			return err
		}
		return s.link(ctx, tx, accountID, m, map[string]string{"subject": "privacy.mail.export.subject", "body": "privacy.mail.export.body",
			"button": "privacy.mail.export.button", "expiry": "privacy.mail.export.expiry"}, s.BaseURL+s.downloadURL(acc.Slug, r))
	})
}

// fail ends a request that cannot succeed; the reason is logged, the person sees "failed".
func (s *Service) fail(ctx context.Context, st store, r *Request, cause error) error {
	s.Log.Error("privacy request failed", "request_id", r.ID, "kind", r.Kind, "err", cause)
	return st.finish(ctx, r.ID, StateFailed, "the request could not be completed; try again or ask your administrator", nil, s.clock())
}

// writeArchive creates the zip at p and lets fill write into it.
func (s *Service) writeArchive(ctx context.Context, st store, r *Request, p string, fill func(*zipExporter) error) error {
	f, err := os.OpenFile(p, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	z := &zipExporter{w: zip.NewWriter(f), names: map[string]bool{}, modified: s.clock()}
	ferr := fill(z)
	if err := z.w.Close(); ferr == nil {
		ferr = err
	}
	if err := f.Close(); ferr == nil {
		ferr = err
	}
	return ferr
}

// zipExporter writes a provider's documents into the archive, under its module's folder.
type zipExporter struct {
	w        *zip.Writer
	dir      string
	names    map[string]bool
	modified time.Time
}

func (z *zipExporter) create(name string) (io.Writer, error) {
	full := path.Join(z.dir, path.Clean("/" + name)[1:])
	for i := 2; z.names[full]; i++ {
		ext := path.Ext(name)
		full = path.Join(z.dir, fmt.Sprintf("%s-%d%s", name[:len(name)-len(ext)], i, ext))
	}
	z.names[full] = true
	return z.w.CreateHeader(&zip.FileHeader{Name: full, Method: zip.Deflate, Modified: z.modified})
}

// JSON writes v, indented, as name.
func (z *zipExporter) JSON(name string, v any) error {
	w, err := z.create(name)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// File copies r into the archive as name.
func (z *zipExporter) File(name string, r io.Reader) error {
	w, err := z.create(name)
	if err != nil {
		return err
	}
	_, err = io.Copy(w, r)
	return err
}
