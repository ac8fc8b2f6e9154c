package kickoff

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/gosimple/slug"
)

// Summaries in any script give a readable ASCII slug; what cannot be spelled is reported.
func TestSlugOf(t *testing.T) {
	for _, tc := range []struct {
		in, want       string
		transliterated bool
		dropped        []string
	}{
		{"Admin Dashboard", "admin-dashboard", false, nil},
		{"결제 개선", "gyeolje-gaeseon", true, nil}, // Revised Romanization
		{"한국어 지원", "hangugeo-jiwon", true, nil}, // with its sound change (ㄱ+ㅇ -> g)
		{"결제 개선 v2", "gyeolje-gaeseon-v2", true, nil},
		{"東京", "dong-jing", true, nil},
		{"北京欢迎你", "bei-jing-huan-ying-ni", true, nil},
		{"テスト", "tesuto", true, nil},
		{"Привет мир", "privet-mir", true, nil},
		{"Καλημέρα κόσμε", "kalemera-kosme", true, nil},
		{"Café déjà vu", "cafe-deja-vu", true, nil},
		{"Straße", "strasse", true, nil},
		{"R&D @ home", "r-d-home", false, nil},
		{"under_score", "under-score", false, nil},
		{"🚀 launch", "launch", false, nil}, // a symbol is a separator, not a lost word
		{"ⵜⴰⵎⴰⵣⵉⵖⵜ ok", "ok", false, []string{"ⵜ", "ⴰ", "ⵎ", "ⵣ", "ⵉ", "ⵖ"}},
	} {
		got := SlugOf(tc.in)
		if got.Slug != tc.want || got.Transliterated != tc.transliterated || !slices.Equal(got.Dropped, tc.dropped) {
			t.Errorf("SlugOf(%q) = %q transliterated=%v dropped=%q; want %q %v %q", tc.in, got.Slug, got.Transliterated, got.Dropped, tc.want, tc.transliterated, tc.dropped)
		}
	}
}

func TestSlugNotes(t *testing.T) {
	if n := SlugOf("admin dashboard").Notes(); len(n) != 0 {
		t.Errorf("ASCII summary: notes %q", n)
	}
	n := strings.Join(SlugOf("결제 개선").Notes(), "\n")
	if !strings.Contains(n, `"결제 개선" is spelled gyeolje-gaeseon`) || !strings.Contains(n, "--slug") {
		t.Errorf("transliteration note: %q", n)
	}
	n = strings.Join(SlugOf("ⵣ결제").Notes(), "\n")
	if !strings.Contains(n, "ⵣ in \"ⵣ결제\" could not be spelled in Latin letters") {
		t.Errorf("dropped note: %q", n)
	}
}

func TestCheckSlug(t *testing.T) {
	for _, ok := range []string{"payments", "refund-api-v2", strings.Repeat("a", 40)} {
		if err := CheckSlug(ok, 40); err != nil {
			t.Errorf("CheckSlug(%q) = %v", ok, err)
		}
	}
	for in, want := range map[string]string{
		"Payments":              "e.g. payments",
		"refund api":            "e.g. refund-api",
		"a--b":                  "single dashes",
		"-a":                    "single dashes",
		"결제":                    "lowercase letters a-z",
		strings.Repeat("a", 41): "keep it to 40",
	} {
		if err := CheckSlug(in, 40); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckSlug(%q) = %v, want %q", in, err, want)
		}
	}
}

func TestFeatureSlugNotes(t *testing.T) {
	tmpl := "feature/{{key}}-{{summary-slug}}"
	if n := FeatureSlugNotes(tmpl, "Add login"); len(n) != 0 {
		t.Errorf("plain summary: %q", n)
	}
	if n := FeatureSlugNotes("feature/{{key}}", "결제 개선"); len(n) != 0 {
		t.Errorf("template without a slug: %q", n)
	}
	n := strings.Join(FeatureSlugNotes(tmpl, "결제 개선"), "\n")
	if !strings.Contains(n, "gyeolje-gaeseon") {
		t.Errorf("Korean summary: %q", n)
	}
	n = strings.Join(FeatureSlugNotes(tmpl, "🚀🚀"), "\n")
	if !strings.Contains(n, "only the key") {
		t.Errorf("symbol summary: %q", n)
	}
	n = strings.Join(FeatureSlugNotes(tmpl, "결제 페이지 개선 및 환불 처리 자동화 작업"), "\n")
	if !strings.Contains(n, "cut to 40 characters: gyeolje-peiji-gaeseon-mit-hwanbul-cheori") {
		t.Errorf("long summary: %q", n)
	}
	k := Name{Summary: "dashboard"}
	if got, err := FeatureName(tmpl, "PROJ-124", "결제 개선", k); err != nil || got != "feature/PROJ-124-gyeolje-gaeseon" {
		t.Errorf("FeatureName(Korean) = %q, %v", got, err)
	}
	if got, err := FeatureNameSlug(tmpl, "PROJ-124", "payments", k); err != nil || got != "feature/PROJ-124-payments" {
		t.Errorf("FeatureNameSlug = %q, %v", got, err)
	}
}

// The Revised Romanization, as the National Institute of Korean Language spells these words.
func TestRomanizeHangul(t *testing.T) {
	for in, want := range map[string]string{
		"결제 개선": "gyeolje gaeseon",
		"한국어":   "hangugeo",
		"지원":    "jiwon",
		"없어":    "eopseo",
		"있어":    "isseo",
		"좋아":    "joa",
		"강아지":   "gangaji",
		"결렬":    "gyeollyeol",
		"읽어":    "ilgeo",
		"부산 v2": "busan v2",
		"의사":    "uisa",
		"서울特别市": "seoul特别市",
	} {
		if got := romanizeHangul(in); got != want {
			t.Errorf("romanizeHangul(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestASCIISlugTextIsMakeLang checks that ASCII text, which slugify spells without
// gosimple/slug (to spare every command loading unidecode's tables), gets exactly the
// slug the library's way gives: every ASCII character alone, in pairs, and random strings.
func TestASCIISlugTextIsMakeLang(t *testing.T) {
	viaLibrary := func(text string) string {
		return dashWords(slug.MakeLang(strings.NewReplacer("&", " ", "@", " ").Replace(text), "en"))
	}
	var inputs []string
	for c := 0; c < 0x80; c++ {
		inputs = append(inputs, string(rune(c)), "a"+string(rune(c))+"B", string(rune(c))+"x y")
	}
	inputs = append(inputs, "Don't Stop", `say "hi"`, "R&D @home", "under_score-dash", "  --Trim--  ", "v2.1 API")
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		b := make([]byte, rng.IntN(24))
		for i := range b {
			b[i] = byte(rng.IntN(0x80))
		}
		inputs = append(inputs, string(b))
	}
	for _, in := range inputs {
		if got, want := slugify(in), viaLibrary(in); got != want {
			t.Fatalf("slugify(%q) = %q, gosimple/slug's way gives %q", in, got, want)
		}
	}
}
