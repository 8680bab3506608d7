// Package s3test starts an in-process S3 server (gofakes3) for tests, so that the files
// module's S3 path runs in every test run without a real bucket.
package s3test

import (
	"net/http/httptest"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// URL starts an S3 server holding the bucket and returns the GROUPCAMP_BLOB_URL that reaches
// it; the server stops with the test. Credentials are set in the environment (any will do).
func URL(t testing.TB, bucket string) string {
	t.Helper()
	backend := s3mem.New()
	if err := backend.CreateBucket(bucket); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	t.Cleanup(srv.Close)
	t.Setenv("AWS_ACCESS_KEY_ID", "test")
	t.Setenv("AWS_SECRET_ACCESS_KEY", "test")
	// gofakes3 answers a ranged GET with the whole object's checksum, which the SDK would
	// check against the range (real S3 sends none for a range): check when required only.
	t.Setenv("AWS_RESPONSE_CHECKSUM_VALIDATION", "when_required")
	return "s3://" + bucket + "?endpoint=" + srv.URL + "&use_path_style=true&region=us-east-1&disable_https=true"
}
