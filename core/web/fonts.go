package web

// FontStack is the font-family of the charts drawn as SVG (the Gantt, the cost and burn-down
// charts): the system's sans-serif, then fonts with Japanese, Chinese and Korean glyphs on
// each platform (macOS, Windows, Linux's Noto CJK), so that a CJK label is drawn in a font
// that has it rather than as boxes, and in one whose advances the charts' width estimates
// expect (a full em per CJK character; core/web/gantt text.go).
const FontStack = `system-ui, -apple-system, 'Segoe UI', Roboto, 'Noto Sans', 'DejaVu Sans', ` +
	`'Hiragino Sans', 'Hiragino Kaku Gothic ProN', 'Yu Gothic UI', Meiryo, ` +
	`'PingFang SC', 'Microsoft YaHei', 'Noto Sans CJK JP', 'Noto Sans CJK SC', 'Noto Sans CJK KR', sans-serif`
