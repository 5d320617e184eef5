#include "text_shaping.hpp"

#include "comptoir/base/error.hpp"

#include <fribidi.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_TRUETYPE_TABLES_H
#include <utf8proc.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace comptoir {

std::vector<std::string> default_letter_fonts() {
    return {"/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf",
            "/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
            "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"};
}

namespace pdf_text {
namespace {

// What a TrueType file can show, asked of the file itself with FreeType (its cmap, its glyphs'
// composition), once per process and code point.
class FaceCoverage {
public:
    FaceCoverage(FT_Library library, const std::string& path) {
        if (FT_New_Face(library, path.c_str(), 0, &face_) != 0) face_ = nullptr;
        // libharu embeds TrueType outlines (glyf) only, through a Unicode cmap.
        if (face_ && (!FT_IS_SFNT(face_) || FT_Select_Charmap(face_, FT_ENCODING_UNICODE) != 0 || !has_glyf())) {
            FT_Done_Face(face_);
            face_ = nullptr;
        }
    }
    ~FaceCoverage() {
        if (face_) FT_Done_Face(face_);
    }
    FaceCoverage(const FaceCoverage&) = delete;
    FaceCoverage& operator=(const FaceCoverage&) = delete;

    bool usable() const { return face_ != nullptr; }

    // The face has `cp` and libharu 2.3 would embed its glyph whole: a simple glyph, or a
    // composite of simple glyphs (libharu adds a composite's direct components to its subset,
    // not theirs).
    bool drawable(uint32_t cp) {
        if (!face_ || cp > 0xFFFF) return false;  // libharu's UTF-8 fonts address the BMP only
        const std::lock_guard lock(mutex_);
        if (const auto found = known_.find(cp); found != known_.end()) return found->second;
        bool ok = false;
        if (const FT_UInt glyph = FT_Get_Char_Index(face_, cp); glyph != 0) {
            std::vector<FT_Int> components;
            ok = load(glyph, components);
            for (FT_Int component : components) {
                std::vector<FT_Int> nested;
                ok = ok && load(static_cast<FT_UInt>(component), nested) && nested.empty();
            }
        }
        known_.emplace(cp, ok);
        return ok;
    }

private:
    bool has_glyf() const {
        FT_ULong length = 0;
        return FT_Load_Sfnt_Table(face_, FT_MAKE_TAG('g', 'l', 'y', 'f'), 0, nullptr, &length) == 0 && length > 0;
    }

    // Loads `glyph` unscaled without following its components; lists them when composite.
    bool load(FT_UInt glyph, std::vector<FT_Int>& components) {
        if (FT_Load_Glyph(face_, glyph, FT_LOAD_NO_RECURSE | FT_LOAD_NO_SCALE) != 0) return false;
        if (face_->glyph->format != FT_GLYPH_FORMAT_COMPOSITE) return true;
        for (FT_UInt i = 0; i < face_->glyph->num_subglyphs; ++i) {
            FT_Int index = 0, arg1 = 0, arg2 = 0;
            FT_UInt flags = 0;
            FT_Matrix transform{};
            if (FT_Get_SubGlyph_Info(face_->glyph, i, &index, &flags, &arg1, &arg2, &transform) != 0) return false;
            components.push_back(index);
        }
        return true;
    }

    FT_Face face_ = nullptr;
    std::mutex mutex_;
    std::unordered_map<uint32_t, bool> known_;
};

// One FaceCoverage per font file for the whole process (FreeType faces are not free to open).
FaceCoverage* coverage_of(const std::string& path) {
    static std::mutex mutex;
    static FT_Library library = [] {
        FT_Library created = nullptr;
        return FT_Init_FreeType(&created) == 0 ? created : nullptr;
    }();
    static std::map<std::string, std::unique_ptr<FaceCoverage>> faces;
    const std::lock_guard lock(mutex);
    if (!library) return nullptr;
    auto& face = faces[path];
    if (!face) face = std::make_unique<FaceCoverage>(library, path);
    return face->usable() ? face.get() : nullptr;
}


void append_utf8(std::string& out, uint32_t cp) {
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

bool ascii(const std::string& text) {
    for (char c : text) {
        if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    return true;
}

bool ignorable(uint32_t cp) {
    return cp == FRIBIDI_CHAR_FILL || utf8proc_get_property(static_cast<utf8proc_int32_t>(cp))->ignorable;
}

// The line in visual order, Arabic shaped to presentation forms; a line with nothing written
// right to left comes back as it is.
std::vector<uint32_t> visual(std::vector<uint32_t> text) {
    const auto n = static_cast<FriBidiStrIndex>(text.size());
    std::vector<FriBidiCharType> types(text.size());
    fribidi_get_bidi_types(text.data(), n, types.data());
    bool right_to_left = false;
    for (FriBidiCharType type : types) right_to_left = right_to_left || FRIBIDI_IS_RTL(type);
    std::vector<uint32_t> out;
    if (right_to_left) {
        std::vector<FriBidiBracketType> brackets(text.size());
        std::vector<FriBidiLevel> levels(text.size());
        std::vector<FriBidiArabicProp> joining(text.size());
        fribidi_get_bracket_types(text.data(), n, types.data(), brackets.data());
        FriBidiParType base = FRIBIDI_PAR_LTR;  // a French letter: lines start on the left
        if (fribidi_get_par_embedding_levels_ex(types.data(), brackets.data(), n, &base, levels.data()) != 0) {
            fribidi_get_joining_types(text.data(), n, joining.data());
            fribidi_join_arabic(types.data(), n, levels.data(), joining.data());
            fribidi_shape(FRIBIDI_FLAGS_DEFAULT | FRIBIDI_FLAGS_ARABIC, levels.data(), n, joining.data(), text.data());
            if (fribidi_reorder_line(FRIBIDI_FLAGS_DEFAULT, types.data(), n, 0, base, levels.data(), text.data(), nullptr) == 0) {
                throw Error("pdf_failed", "La création du PDF a échoué : une ligne écrite de droite à gauche n'a pas pu être ordonnée.");
            }
        }
    }
    out.reserve(text.size());
    for (uint32_t cp : text) {
        if (!ignorable(cp)) out.push_back(cp);  // the fill a lam-alef ligature leaves, joiners, marks
    }
    return out;
}

[[noreturn]] void refuse(uint32_t cp) {
    std::string shown;
    append_utf8(shown, cp);
    char code[16];
    std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(cp));
    throw BadRequestError("unprintable_character", "Le caractère « " + shown + " » (" + code +
                                                       ") ne peut pas être imprimé dans un courrier : aucune police installée ne l'a.");
}

bool space_like(uint32_t cp) { return cp == 0x20 || cp == 0xA0 || cp == 0x202F; }

}  // namespace

// The WinAnsi (CP1252) byte of a code point, if the standard fonts have it.
std::optional<char> win_ansi(uint32_t cp) {
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF)) return static_cast<char>(cp);
    switch (cp) {
    case 0x20AC: return static_cast<char>(0x80);  // €
    case 0x201A: return static_cast<char>(0x82);
    case 0x2026: return static_cast<char>(0x85);  // …
    case 0x2018: return static_cast<char>(0x91);
    case 0x2019: return static_cast<char>(0x92);  // ’
    case 0x201C: return static_cast<char>(0x93);
    case 0x201D: return static_cast<char>(0x94);
    case 0x2022: return static_cast<char>(0x95);  // •
    case 0x2013: return static_cast<char>(0x96);  // –
    case 0x2014: return static_cast<char>(0x97);  // —
    case 0x0152: return static_cast<char>(0x8C);  // Œ
    case 0x0153: return static_cast<char>(0x9C);  // œ
    case 0x0178: return static_cast<char>(0x9F);
    case 0x202F: return static_cast<char>(0xA0);  // narrow no-break space: a no-break space
    default: return std::nullopt;
    }
}

// No line break before ; : ! ? nor inside « »: the spaces there become no-break spaces
// (pdftotext gives them back as plain spaces).
std::string french_spacing(std::string text) {
    const std::string nbsp = "\u00A0";
    const auto replace_all = [&text](const std::string& from, const std::string& to) {
        for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) text.replace(at, from.size(), to);
    };
    for (const char* mark : {":", ";", "!", "?", "»"}) replace_all(std::string(" ") + mark, nbsp + mark);
    replace_all("« ", "«" + nbsp);
    replace_all("\u202F", nbsp);
    return text;
}

std::vector<uint32_t> code_points(const std::string& text) {
    std::vector<uint32_t> out;
    out.reserve(text.size());
    for (size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        int length = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
        if (length == 0 || i + static_cast<size_t>(length) > text.size()) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        uint32_t cp = length == 1 ? c : length == 2 ? (c & 0x1F) : length == 3 ? (c & 0x0F) : (c & 0x07);
        bool valid = true;
        for (int k = 1; k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + static_cast<size_t>(k)]);
            valid = valid && (next & 0xC0) == 0x80;
            cp = (cp << 6) | (next & 0x3F);
        }
        if (!valid || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
            out.push_back(0xFFFD);
            ++i;
            continue;
        }
        out.push_back(cp);
        i += static_cast<size_t>(length);
    }
    return out;
}

std::string nfc(const std::string& utf8) {
    if (ascii(utf8)) return utf8;
    std::string valid;
    valid.reserve(utf8.size());
    for (uint32_t cp : code_points(utf8)) append_utf8(valid, cp);
    utf8proc_uint8_t* composed = utf8proc_NFC(reinterpret_cast<const utf8proc_uint8_t*>(valid.c_str()));
    if (!composed) return valid;
    std::string out(reinterpret_cast<const char*>(composed));
    std::free(composed);
    return out;
}

bool standard_fonts_suffice(const std::string& utf8) {
    if (ascii(utf8)) return true;
    for (uint32_t cp : code_points(nfc(utf8))) {
        if (!win_ansi(cp)) return false;
    }
    return true;
}

float ShapedText::width(float size) const {
    float total = 0;
    for (const auto& run : runs) total += run.width1000;
    return total * size / 1000.0f;
}

struct TextFonts::Impl {
    struct Face {
        FaceCoverage* coverage;
        std::string path;
        HPDF_Font font = nullptr;  // loaded into the document on first use
    };
    HPDF_Doc doc;
    std::vector<Face> faces;
    bool utf_encodings = false;
    HPDF_Font regular = nullptr;
    HPDF_Font bold = nullptr;

    // The first face of the chain that can draw `cp`, or -1.
    int face_for(uint32_t cp) const {
        for (size_t i = 0; i < faces.size(); ++i) {
            if (faces[i].coverage->drawable(cp)) return static_cast<int>(i);
        }
        return -1;
    }

    HPDF_Font font_of(Face& face) {
        if (face.font) return face.font;
        if (!utf_encodings) {
            HPDF_UseUTFEncodings(doc);
            utf_encodings = true;
        }
        const char* name = HPDF_LoadTTFontFromFile(doc, face.path.c_str(), HPDF_TRUE);
        if (name) face.font = HPDF_GetFont(doc, name, "UTF-8");
        if (!face.font) throw Error("pdf_failed", "La création du PDF a échoué : une police n'a pas pu être chargée.");
        return face.font;
    }

    Run run_of(HPDF_Font font, std::string bytes, bool chain) const {
        Run run;
        run.font = font;
        run.chain = chain;
        run.bytes = std::move(bytes);
        const HPDF_TextWidth tw =
            HPDF_Font_TextWidth(font, reinterpret_cast<const HPDF_BYTE*>(run.bytes.data()), static_cast<HPDF_UINT>(run.bytes.size()));
        run.width1000 = static_cast<float>(tw.width);
        return run;
    }

    ShapedText standard_text(const std::vector<uint32_t>& cps, bool is_bold) const {
        std::string bytes;
        for (uint32_t cp : cps) bytes.push_back(win_ansi(cp).value_or('?'));
        ShapedText out;
        if (!bytes.empty()) out.runs.push_back(run_of(is_bold ? bold : regular, std::move(bytes), false));
        return out;
    }

    // Visual code points to runs, each character from the first face that draws it (a space
    // stays in the face of the character before it).
    ShapedText chain_text(const std::vector<uint32_t>& cps) {
        ShapedText out;
        int current = -1;
        std::string bytes;
        const auto flush = [&] {
            if (!bytes.empty()) out.runs.push_back(run_of(font_of(faces[static_cast<size_t>(current)]), std::move(bytes), true));
            bytes.clear();
        };
        for (uint32_t cp : cps) {
            int face = (space_like(cp) && current >= 0 && faces[static_cast<size_t>(current)].coverage->drawable(cp)) ? current : face_for(cp);
            if (face < 0) refuse(cp);
            if (face != current) flush();
            current = face;
            append_utf8(bytes, cp);
        }
        flush();
        return out;
    }
};

TextFonts::TextFonts(HPDF_Doc doc, std::vector<std::string> font_files) : impl_(std::make_unique<Impl>()) {
    impl_->doc = doc;
    for (auto& path : font_files) {
        if (FaceCoverage* coverage = coverage_of(path)) impl_->faces.push_back({coverage, std::move(path)});
    }
    impl_->regular = HPDF_GetFont(doc, "Helvetica", "WinAnsiEncoding");
    impl_->bold = HPDF_GetFont(doc, "Helvetica-Bold", "WinAnsiEncoding");
}

TextFonts::~TextFonts() = default;

Style TextFonts::style_for(const std::string& utf8) { return standard_fonts_suffice(utf8) ? Style::standard : Style::chain; }

HPDF_Font TextFonts::standard(bool bold) const { return bold ? impl_->bold : impl_->regular; }

void TextFonts::check_printable(const std::string& utf8) const {
    if (standard_fonts_suffice(utf8)) return;
    const std::vector<uint32_t> logical = code_points(nfc(utf8));
    // The character as typed first (an emoji, a CJK ideograph), then the forms shaping made.
    for (uint32_t cp : logical) {
        if (!ignorable(cp) && impl_->face_for(cp) < 0 && fribidi_get_joining_type(cp) == FRIBIDI_JOINING_TYPE_U) refuse(cp);
    }
    for (uint32_t cp : visual(logical)) {
        if (impl_->face_for(cp) < 0) refuse(cp);
    }
}

ShapedText TextFonts::shape(const std::string& utf8, Style style, bool bold) {
    const std::vector<uint32_t> cps = code_points(nfc(utf8));
    if (style == Style::standard) return impl_->standard_text(cps, bold);
    return impl_->chain_text(visual(cps));
}

std::vector<ShapedText> TextFonts::shape_words(const std::string& utf8, Style style, bool bold) {
    const std::vector<uint32_t> line = code_points(nfc(utf8));
    const std::vector<uint32_t> cps = style == Style::standard ? line : visual(line);
    std::vector<ShapedText> words;
    std::vector<uint32_t> word;
    const auto flush = [&] {
        if (!word.empty()) words.push_back(style == Style::standard ? impl_->standard_text(word, bold) : impl_->chain_text(word));
        word.clear();
    };
    for (uint32_t cp : cps) {
        if (cp == ' ') {
            flush();
        } else {
            word.push_back(cp);
        }
    }
    flush();
    return words;
}

void TextFonts::draw(HPDF_Page page, float x, float y, const ShapedText& text, float size, bool bold, float gray) const {
    for (const auto& run : text.runs) {
        const bool synthetic_bold = bold && run.chain;  // one face embedded: bold as fill + stroke
        HPDF_Page_SetGrayFill(page, gray);
        if (synthetic_bold) {
            HPDF_Page_SetGrayStroke(page, gray);
            HPDF_Page_SetLineWidth(page, size * 0.04f);
            HPDF_Page_SetTextRenderingMode(page, HPDF_FILL_THEN_STROKE);
        }
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, run.font, size);
        HPDF_Page_TextOut(page, x, y, run.bytes.c_str());
        HPDF_Page_EndText(page);
        if (synthetic_bold) HPDF_Page_SetTextRenderingMode(page, HPDF_FILL);
        x += run.width1000 * size / 1000.0f;
    }
}

}  // namespace pdf_text
}  // namespace comptoir
