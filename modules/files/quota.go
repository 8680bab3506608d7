package files

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"groupcamp/core/actor"
	"groupcamp/core/hooks"
	"groupcamp/core/problem"
)

// Quotas: the account's storage is the bytes of the blobs its versions hold — each blob once,
// however many files, versions and copies share it (a copy adds no bytes); blobs waiting for
// the collector and files in the trash count until they are gone, as their bytes are still
// kept. The module reports it as the "storage_bytes" counter (hooks.Counter) and asks the
// limiter (billing's, when there is one) before it stores an upload: the size is known from the
// multipart part (fasthttp has read it) or the Content-Length, so an upload past the quota is a
// 413 before a byte goes to the store. An upload of unknown size (a chunked WebDAV PUT) is
// checked once stored, before the file is recorded: the bytes go with the next collection.

// QuotaStorage is the quota's name, as the plans say it.
const QuotaStorage = "storage_bytes"

// storageCounter is the module's hooks.Counter.
func storageCounter() hooks.Counter {
	return hooks.Counter{Quota: QuotaStorage, Unit: "bytes", Usage: storageUsed}
}

// storageUsed is the bytes of the blobs the account keeps for its versions.
func storageUsed(ctx context.Context, idb bun.IDB, accountID int64) (int64, error) {
	var n int64
	err := idb.NewSelect().TableExpr("files_blobs AS b").ColumnExpr("COALESCE(SUM(b.size), 0)").
		Where("b.account_id = ? AND b.refs > 0", accountID).Scan(ctx, &n)
	return n, err
}

// checkQuota asks the limiter whether size more bytes fit in the account (size < 0: unknown,
// nothing to ask yet): 413 with the quota's numbers when they do not.
func (s *Service) checkQuota(ctx context.Context, a *actor.Actor, size int64) error {
	if size < 0 {
		return nil
	}
	err := s.Hooks.Check(ctx, s.DB, a.AccountID(), QuotaStorage, size)
	var q *hooks.QuotaError
	if errors.As(err, &q) {
		return problem.TooLarge(fmt.Sprintf("the account's storage is full: this file needs %s, and %s of the plan's %s are used",
			humanSize(size), humanSize(q.Usage), humanSize(q.Limit)))
	}
	return err
}
