package files

import (
	"context"
	"time"

	"groupcamp/core/actor"
	"groupcamp/core/audit"
	"groupcamp/core/db"
	"groupcamp/modules/files/storage"
)

// TrashDays is how long the trash keeps a file or folder before the purge deletes it, unless
// the account's administrators chose otherwise (settings.go).
const TrashDays = 30

// Grace is how long a blob without references (or a temporary upload) stays before the
// collector deletes it: an upload reserves its blob row, then takes its reference within this
// time, so the collector never deletes content an upload is about to use.
const Grace = time.Hour

// Collect deletes the blobs no version holds since more than Grace, row first then content
// (the key names the row, so the same bytes uploaded again meanwhile live under another key),
// and the temporary uploads older than Grace (uploads cut half-way). It returns how many
// blobs and temporary uploads went.
func (s *Service) Collect(ctx context.Context) (int, error) {
	cutoff := s.now().Add(-Grace)
	accounts, err := s.store.unscopedAccounts(ctx, s.DB, workCollect, cutoff)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range accounts {
		tn := s.tenant(id)
		bs, err := s.store.collectable(ctx, tn, cutoff)
		if err != nil {
			return n, err
		}
		for _, b := range bs {
			gone, err := s.store.dropBlob(ctx, tn, b.ID, cutoff)
			if err != nil {
				return n, err
			}
			if gone {
				if err := s.Blobs.Drop(ctx, storage.Key(id, b.SHA256, b.ID)); err != nil {
					return n, err
				}
				if err := s.Blobs.Drop(ctx, thumbKey(id, b.SHA256, b.ID)); err != nil { // thumbs.go
					return n, err
				}
				n++
			}
		}
	}
	swept, err := s.Blobs.SweepTemporary(ctx, cutoff)
	if err != nil {
		return n + swept, err
	}
	expired, err := s.expireUploads(ctx) // resumable.go
	if err != nil {
		return n + swept + expired, err
	}
	forgot, err := s.forgetAttachments(ctx) // attach_gc.go
	return n + swept + expired + forgot, err
}

// Purge deletes, in each account, what was trashed longer ago than the account's retention
// (Settings.TrashDays) — files with their versions and download history, folders with
// everything below them — and counts again the references of the blobs they held (the
// collector deletes those left without one). It returns how many files and folders went. It
// also forgets the wrong share-link passwords older than a day (they hold client IPs).
func (s *Service) Purge(ctx context.Context) (int, error) {
	now := s.now()
	if err := s.store.forgetFailures(ctx, s.DB, now.Add(-24*time.Hour)); err != nil {
		return 0, err
	}
	// The accounts with something trashed before the shortest retention; each then by its own.
	accounts, err := s.store.unscopedAccounts(ctx, s.DB, workPurge, now.Add(-MinTrashDays*24*time.Hour))
	if err != nil {
		return 0, err
	}
	total := 0
	for _, id := range dedupe(accounts) {
		days, err := s.trashDays(ctx, s.tenant(id))
		if err != nil {
			return total, err
		}
		n, err := s.purgeAccount(ctx, id, now.Add(-time.Duration(days)*24*time.Hour))
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

func dedupe(ids []int64) []int64 {
	seen := map[int64]bool{}
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

// PurgeAccount runs the purge now for the actor's account (a files manager): what has waited
// longer than the account's retention.
func (s *Service) PurgeAccount(ctx context.Context, a *actor.Actor) (int, error) {
	days, err := s.trashDays(ctx, s.tenant(a.AccountID()))
	if err != nil {
		return 0, err
	}
	n, err := s.purgeAccount(ctx, a.AccountID(), s.now().Add(-time.Duration(days)*24*time.Hour))
	if err != nil {
		return n, err
	}
	return n, audit.Record(ctx, s.DB, a, a.AccountID(), "files.trash.purged", "", map[string]any{"deleted": n})
}

func (s *Service) purgeAccount(ctx context.Context, accountID int64, cutoff time.Time) (int, error) {
	total := 0
	err := s.tenant(accountID).RunInTx(ctx, nil, func(ctx context.Context, tn db.Tenant) error {
		tops, all, err := s.store.expiredFolders(ctx, tn, cutoff)
		if err != nil {
			return err
		}
		blobs, n, err := s.store.purge(ctx, tn, cutoff, tops, all)
		if err != nil {
			return err
		}
		total = n
		return s.store.recount(ctx, tn, blobs, s.now())
	})
	return total, err
}
