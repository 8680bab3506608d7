// Command bad is a deliberately broken GroupCamp plugin, for the host's isolation tests: its
// sections crash the process ("crash"), never answer ("hang"), or answer junk ("junk": a
// script, an event handler and a javascript: link the host must strip); its event listener
// never answers. A host must still render the page, show the section as unavailable, and
// keep relaying events.
package main

import (
	"context"
	"os"
	"strings"

	"groupcamp/plugins/sdk"
)

func main() {
	sdk.Serve(&sdk.Plugin{Name: "bad", Version: "0.0.1",
		Section: func(ctx context.Context, _ sdk.Call, section string, _ sdk.Host) (string, error) {
			switch section {
			case "crash":
				os.Exit(3)
			case "hang":
				select {} // ignores its deadline: the host must not wait for it
			}
			return `<p onclick="steal()">junk<script>alert(1)</script><a href="javascript:alert(2)">x</a></p><style>body{display:none}</style>` + strings.Repeat("\u0000\uFFFE", 8), nil
		},
		Event: func(ctx context.Context, _ sdk.Call, _ sdk.Event, _ sdk.Host) error {
			select {}
		},
	})
}
