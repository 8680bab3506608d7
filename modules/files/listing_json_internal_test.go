package files

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"
)

// TestListingJSON: appendFiles writes what encoding/json writes for the same files — names
// with quotes, backslashes, HTML, control characters, invalid UTF-8 and line separators;
// times with and without a fraction, in another zone; nil and set pointers; the optional
// fields present and absent.
func TestListingJSON(t *testing.T) {
	t.Parallel()
	one, two := int64(1), int64(2)
	at := time.Date(2026, 12, 7, 12, 0, 0, 123456000, time.UTC)
	trashed := time.Date(2026, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))
	files := []File{
		{ID: 1, FolderID: 9, Name: `a "quoted" \ name <b>&amp;</b>.txt`, Size: 12, SHA256: "ab", MIME: "text/plain; charset=utf-8", Version: 1,
			CreatedBy: &one, UpdatedBy: &two, CreatedAt: at, UpdatedAt: at.Truncate(time.Second), UpdatedByName: "Zoë <admin>"},
		{ID: 2, FolderID: 9, Name: "ctl\x01\t\n\r\b\f\x7f-\xff-\u2028\u2029-日本.bin", MIME: "image/png", Thumb: true, TrashedAt: &trashed},
		{ID: 3, Name: ""},
	}
	for _, fs := range [][]File{files, {}, nil} {
		want, err := json.Marshal(fs)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendFiles(nil, fs); !bytes.Equal(got, want) {
			t.Errorf("appendFiles:\n got %s\nwant %s", got, want)
		}
	}
}
