package files_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"groupcamp/core/testkit"
	"groupcamp/modules/files"
)

// TestConcurrentProjectFolders: many writers creating, renaming and moving folders of a
// project at once all finish. The projects port used to be asked inside the transaction, on
// a second pooled connection: with more writers than connections every transaction held one
// and waited for another (PostgreSQL: forever; SQLite: behind the write lock).
func TestConcurrentProjectFolders(t *testing.T) {
	eachDB(t, func(t *testing.T, e *testkit.Env) {
		svc := moduleOf(e).Service()
		o := newOffice(t, e)
		a := actorOf(t, e, o)
		top := o.created(t, e.As(o.mem), "/folders", map[string]any{"name": "Site", "project_id": o.project})
		// Beyond any pool: PostgreSQL's has 20 connections, SQLite's 8.
		const writers = 48
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := files.FolderInput{Name: fmt.Sprintf("f%d", i), ProjectID: o.project}
				if i%2 == 1 {
					in = files.FolderInput{Name: fmt.Sprintf("f%d", i), ParentID: top}
				}
				fo, err := svc.CreateFolder(ctx, a, in)
				if err != nil {
					errs <- fmt.Errorf("create %d: %w", i, err)
					return
				}
				name := fmt.Sprintf("g%d", i)
				if _, err := svc.UpdateFolder(ctx, a, fo.ID, files.FolderPatch{Name: &name}); err != nil {
					errs <- fmt.Errorf("rename %d: %w", i, err)
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	})
}
