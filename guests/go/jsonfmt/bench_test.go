package jsonfmt

import (
	"strconv"
	"strings"
	"testing"
)

// benchDocument is a document of about size bytes with varied tokens, like
// the stress documents of the README.
func benchDocument(size int) string {
	var doc strings.Builder
	doc.WriteByte('[')
	for idx := 0; doc.Len() < size; idx++ {
		if idx > 0 {
			doc.WriteString(", ")
		}
		doc.WriteString(`{"id": ` + strconv.Itoa(idx*7919%100000) + `, "name": "item \u00e9 ` + strconv.Itoa(idx%977) +
			`", "zeta": [1.0, -0, 1e400, true, null], "alpha": {"k` + strconv.Itoa(idx%13) + `": "v\n😀", "b": {}, "a": []}}`)
	}
	doc.WriteByte(']')
	return doc.String()
}

func BenchmarkMinify(b *testing.B) {
	doc := benchDocument(100_000)
	b.SetBytes(int64(len(doc)))
	b.ResetTimer()
	for range b.N {
		if _, err := Minify(doc); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormat(b *testing.B) {
	doc := benchDocument(100_000)
	b.SetBytes(int64(len(doc)))
	b.ResetTimer()
	for range b.N {
		if _, err := Format(doc, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatSorted(b *testing.B) {
	doc := benchDocument(100_000)
	b.SetBytes(int64(len(doc)))
	b.ResetTimer()
	for range b.N {
		if _, err := Format(doc, &Options{Indent: 4, SortKeys: true}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFormatSmall(b *testing.B) {
	doc := `{"name": "witness", "version": 1.0, "tags": ["json", "wasm", "go"], "nested": {"a": [1, 2, 3], "b": null, "c": true}, "escaped": "\u00e9\n", "n": -0.5e10}`
	b.SetBytes(int64(len(doc)))
	b.ResetTimer()
	for range b.N {
		if _, err := Format(doc, nil); err != nil {
			b.Fatal(err)
		}
	}
}
