// Package s3test starts an in-process S3 server (gofakes3) for tests, so that the files
// module's S3 path runs in every test run without a real bucket.
package s3test

import (
	"net/http/httptest"
	"os"
	"testing"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
)

// URL starts an S3 server holding the bucket and returns the GROUPCAMP_BLOB_URL that reaches
// it; the server stops with the test. Credentials are set in the environment (any will do).
func URL(t testing.TB, bucket string) string {
	t.Helper()
	url, stop, err := serve(bucket)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(stop)
	for k, v := range env {
		t.Setenv(k, v)
	}
	return url
}

// Start starts an S3 server holding the bucket for as long as the process runs (or until
// stop), for an App shared by a package's tests, and returns the GROUPCAMP_BLOB_URL that
// reaches it. It sets the credentials in the process's environment: call it where no test
// sets them with t.Setenv (URL) at the same time.
func Start(bucket string) (url string, stop func(), err error) {
	if url, stop, err = serve(bucket); err != nil {
		return "", nil, err
	}
	for k, v := range env {
		if err := os.Setenv(k, v); err != nil {
			stop()
			return "", nil, err
		}
	}
	return url, stop, nil
}

// env is what the SDK needs: any credentials; and gofakes3 answers a ranged GET with the whole
// object's checksum, which the SDK would check against the range (real S3 sends none for a
// range): check when required only.
var env = map[string]string{
	"AWS_ACCESS_KEY_ID":                "test",
	"AWS_SECRET_ACCESS_KEY":            "test",
	"AWS_RESPONSE_CHECKSUM_VALIDATION": "when_required",
}

func serve(bucket string) (string, func(), error) {
	backend := s3mem.New()
	if err := backend.CreateBucket(bucket); err != nil {
		return "", nil, err
	}
	srv := httptest.NewServer(gofakes3.New(backend).Server())
	return "s3://" + bucket + "?endpoint=" + srv.URL + "&use_path_style=true&region=us-east-1&disable_https=true", srv.Close, nil
}
