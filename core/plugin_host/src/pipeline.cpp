#include "comptoir/plugin_host/pipeline.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/reading/input.hpp"
#include "comptoir/reading/ocr.hpp"
#include "comptoir/reading/twoddoc.hpp"
#include "comptoir/base/json.hpp"
#include "comptoir/plugin_host/reading_json.hpp"

#include <Poco/File.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/String.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <deque>
#include <future>
#include <cmath>
#include <fstream>
#include <sstream>

namespace comptoir {
namespace {

using Clock = std::chrono::steady_clock;

double elapsed_ms(Clock::time_point since) {
    return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}


constexpr size_t kMaxOcrJsonBytes = 64 * 1024 * 1024;
// Pages decoded and waiting for an OCR engine, per reading: the rest stay in the file.
constexpr size_t kPagesAhead = 2;

// A file's bytes (not decoded: the child does that).
std::string read_input(const std::string& path, int64_t max_bytes) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) throw InputError("not_found", "Le fichier est introuvable ou illisible.");
    const std::streamoff size = in.tellg();
    if (size > max_bytes) {
        throw InputError("too_large", "Le fichier est trop volumineux (" + std::to_string(size / (1024 * 1024)) +
                                          " Mo, " + std::to_string(max_bytes / (1024 * 1024)) + " Mo au plus).");
    }
    std::string data(static_cast<size_t>(std::max<std::streamoff>(size, 0)), '\0');
    in.seekg(0);
    in.read(data.data(), size);
    if (!in) throw InputError("unreadable", "Le fichier ne peut pas être lu.");
    return data;
}

}  // namespace

struct Pipeline::Pending {
    ProcessResult result;
    std::vector<std::vector<FoundCode>> codes;           // per page, for text-layer pages
    std::vector<std::vector<Box>> damaged_codes;         // per page: codes seen, not decoded
    double codes_ms = 0.0;
    std::vector<PageInfo> pages;
    std::vector<std::vector<Word>> words;                // per page, for text-layer pages
    std::vector<std::future<PageReading>> readings;      // per page, empty future when no OCR
    std::vector<std::shared_ptr<std::atomic<int>>> read_percent;  // per page (0..100), null when no OCR
    std::optional<Document> saved;                       // a saved OCR result
    std::vector<std::unique_ptr<PixelBudget::Hold>> held;  // per page, until it is read
    std::shared_ptr<void> heavy;                         // a heavy reading's slot
};

Pipeline::Pipeline(PipelineOptions options, const PluginRegistry& plugins, OcrPool* ocr)
    : options_(std::move(options)), plugins_(plugins), ocr_(ocr), pixels_(options_.server_pixels) {}

Pipeline::~Pipeline() = default;

const twoddoc::Reader& Pipeline::twoddoc() const {
    std::lock_guard<std::mutex> lock(lazy_mutex_);
    if (!twoddoc_) twoddoc_ = std::make_unique<twoddoc::Reader>(twoddoc::Reader::from_options(options_.twoddoc));
    return *twoddoc_;
}

OcrPool& Pipeline::ocr() const {
    if (ocr_) return *ocr_;
    std::lock_guard<std::mutex> lock(lazy_mutex_);
    if (!own_ocr_) {
        OcrOptions options;
        options.languages = options_.ocr_languages;
        options.engines = options_.ocr_engines;
        options.find_codes = options_.twoddoc_search_ms > 0;
        options.codes.budget = std::chrono::milliseconds(options_.twoddoc_search_ms);
        own_ocr_ = std::make_unique<OcrPool>(options);
    }
    return *own_ocr_;
}

worker::Pool& Pipeline::decoders() const {
    std::lock_guard<std::mutex> lock(lazy_mutex_);
    if (!decoders_) decoders_ = std::make_unique<worker::Pool>(runner_options(options_.decoder), options_.decoder.children);
    return *decoders_;
}

InputLimits Pipeline::input_limits() const {
    InputLimits limits;
    limits.max_pixels = options_.max_pixels;
    limits.max_pages = options_.max_pages;
    limits.document_pixels = options_.document_pixels;
    return limits;
}

std::unique_ptr<PageSource> Pipeline::open_pages(std::string data, SteadyClock::time_point deadline) const {
    return std::make_unique<PageSource>(decoders(), std::move(data), input_limits(), deadline);
}

std::shared_ptr<void> Pipeline::take_heavy_slot() const {
    std::lock_guard<std::mutex> lock(heavy_mutex_);
    if (heavy_ >= std::max(1, options_.heavy_readings)) return nullptr;
    ++heavy_;
    // Not null (a null shared_ptr reads as "no slot"): it points at the pipeline, owns nothing.
    return std::shared_ptr<void>(const_cast<Pipeline*>(this), [this](void*) {
        std::lock_guard<std::mutex> release(heavy_mutex_);
        --heavy_;
    });
}

std::unique_ptr<Pipeline::Pending> Pipeline::start(const std::string& path, const ProcessOptions& options,
                                                   const std::string* data) const {
    auto pending = std::make_unique<Pending>();
    ProcessResult& result = pending->result;
    result.file = path;
    const auto load_start = Clock::now();
    try {
        Poco::File file(data ? std::string("/") : path);
        if (!data && !file.exists()) throw InputError("not_found", "Le fichier est introuvable.");
        if (!data && !file.isFile()) throw InputError("not_a_file", "Ce n'est pas un fichier.");
        if (!data && Poco::endsWith(Poco::toLower(path), std::string(".ocr.json"))) {
            if (file.getSize() == 0) throw InputError("empty_file", "Le fichier est vide.");
            if (file.getSize() > kMaxOcrJsonBytes) throw InputError("too_large", "Le fichier est trop volumineux.");
            std::ifstream in(path, std::ios::binary);
            std::ostringstream content;
            content << in.rdbuf();
            try {
                pending->saved = Document::from_json(content.str());
            } catch (const InputError& error) {
                throw InputError("invalid_ocr_json", std::string("Le résultat OCR enregistré est invalide : ") + error.what());
            }
            if (pending->saved->page_count() > static_cast<uint32_t>(options_.max_pages)) {
                throw InputError("too_many_pages", "Le document a trop de pages (" +
                                                       std::to_string(pending->saved->page_count()) + ", " +
                                                       std::to_string(options_.max_pages) + " au plus).");
            }
            result.timings_ms.emplace_back("load", elapsed_ms(load_start));
            return pending;
        }
        const auto deadline = load_start + std::chrono::seconds(std::max(1, options_.reading_timeout_s));
        PageSource source(decoders(), data ? *data : read_input(path, input_limits().max_file_bytes), input_limits(),
                          deadline);
        // A heavy file takes one of the few heavy slots, or fails: it never takes every worker.
        const auto go_heavy = [&] {
            if (pending->heavy) return;
            pending->heavy = take_heavy_slot();
            if (!pending->heavy) {
                throw InputError("too_heavy", "Ce fichier est trop lourd à lire maintenant : d'autres fichiers lourds "
                                              "sont en lecture. Renvoyez-le dans quelques minutes, ou envoyez-le "
                                              "en plus petit.");
            }
            source.lower_priority();  // the ordinary readings beside it come first
        };
        if (source.total_pixels() > options_.heavy_pixels) go_heavy();
        const auto light_until = load_start + std::chrono::milliseconds(options_.light_decode_ms);
        const auto timed_out = [] {
            return InputError("timeout", "La lecture a pris trop de temps et a été arrêtée : envoyez le document en "
                                         "plus petit, ou seulement les pages utiles.");
        };
        // A page let go once read: its pixels are free for others.
        const auto settle = [&](size_t ahead) {
            for (;;) {
                size_t waiting = 0;
                std::optional<size_t> oldest;
                for (size_t k = 0; k < pending->readings.size(); ++k) {
                    if (!pending->held[k]) continue;
                    if (!pending->readings[k].valid() ||
                        pending->readings[k].wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
                        pending->held[k].reset();
                    } else {
                        ++waiting;
                        if (!oldest) oldest = k;
                    }
                }
                if (waiting < ahead || !oldest) return;
                if (pending->readings[*oldest].wait_until(deadline) != std::future_status::ready) return;
            }
        };
        for (size_t i = 0; i < source.sizes().size(); ++i) {
            settle(kPagesAhead);
            auto held = pixels_.hold(source.sizes()[i].pixels(), deadline);
            if (!held) throw timed_out();
            LoadedPage page;
            for (;;) {
                if (!pending->heavy && Clock::now() >= light_until) go_heavy();
                try {
                    page = source.page(i, pending->heavy ? deadline : std::min(deadline, light_until), 0, 0,
                                       PageSource::Pixels::gray);
                    break;
                } catch (const InputError& error) {
                    // Light no more: on with a heavy slot, from this page again.
                    if (error.code() != "timeout" || pending->heavy || Clock::now() >= deadline) throw;
                    go_heavy();
                }
            }
            const auto number = static_cast<uint32_t>(i + 1);
            PageInfo info;
            info.page = number;
            info.width = pix_width(page.image.get());
            info.height = pix_height(page.image.get());
            info.dpi = page.dpi;
            info.text_layer = page.text_layer;
            pending->pages.push_back(info);
            pending->held.push_back(std::move(held));
            if (page.text_layer) {
                pending->words.push_back(std::move(page.words));
                pending->readings.emplace_back();
                pending->read_percent.push_back(nullptr);
                // A PDF with its own text: no OCR, but its 2D-Doc is an image all the same.
                CodeSearch search;
                if (options_.twoddoc_search_ms > 0) {
                    CodeSearchOptions code_options;
                    code_options.budget = std::chrono::milliseconds(options_.twoddoc_search_ms);
                    search = find_datamatrix(page.image.get(), code_options);
                }
                pending->codes.push_back(std::move(search.codes));
                pending->damaged_codes.push_back(std::move(search.damaged));
                pending->codes_ms += search.ms;
            } else {
                pending->words.emplace_back();
                pending->codes.emplace_back();
                pending->damaged_codes.emplace_back();
                const auto turned = options.quarter_turns.find(number);
                const int turns = turned == options.quarter_turns.end() ? -1 : ((turned->second % 4) + 4) % 4;
                pending->read_percent.push_back(std::make_shared<std::atomic<int>>(0));
                pending->readings.push_back(ocr().read(share_pix(std::move(page.image)), page.dpi, number, turns,
                                                       pending->read_percent.back(), deadline));
            }
        }
        result.timings_ms.emplace_back("load", elapsed_ms(load_start));
    } catch (const InputError& error) {
        result.error = ProcessError{error.code(), error.what()};
    } catch (const Error& error) {
        // The OCR engines could not start: a configuration problem, reported per input.
        result.error = ProcessError{error.code(), std::string("La lecture est impossible : ") + error.what()};
    }
    if (result.error) {
        // Pages already with an engine are read to their end (a few, and the deadline stops
        // them): nothing of this reading goes on once it has failed, and its pixels are free.
        for (auto& reading : pending->readings) {
            if (reading.valid()) reading.wait();
        }
        pending->held.clear();
    }
    return pending;
}

ProcessResult Pipeline::finish(Pending& pending, const ProcessOptions& options) const {
    ProcessResult result = std::move(pending.result);
    if (result.error) return result;
    const auto page_count = static_cast<uint32_t>(pending.saved ? pending.saved->page_count() : pending.pages.size());
    const auto tell = [&](const char* stage, uint32_t page) {
        if (options.progress) options.progress(stage, page, page_count);
    };
    tell("load", 0);
    // While a page is awaited: how far the whole document's OCR is (a page with its own text
    // counts as read).
    const auto wait_for_page = [&](size_t i) {
        if (!options.ocr_progress) return;
        while (pending.readings[i].wait_for(std::chrono::milliseconds(100)) != std::future_status::ready) {
            int sum = 0;
            for (const auto& percent : pending.read_percent) sum += percent ? std::clamp(percent->load(), 0, 100) : 100;
            const int whole = pending.read_percent.empty() ? 0 : sum / static_cast<int>(pending.read_percent.size());
            options.ocr_progress(static_cast<uint32_t>(i + 1), page_count, whole);
        }
    };
    Document document;
    // Per page, its doubtful lines kept for a second reading where extraction asks for one.
    std::vector<std::shared_ptr<const DoubtfulLines>> doubtful(pending.pages.size());
    if (pending.saved) {
        document = std::move(*pending.saved);
    } else {
        double prepare_ms = 0.0;
        double ocr_ms = 0.0;
        double codes_ms = pending.codes_ms;
        std::vector<Word> words;
        for (size_t i = 0; i < pending.pages.size(); ++i) {
            if (pending.readings[i].valid()) {
                try {
                    wait_for_page(i);
                    PageReading reading = pending.readings[i].get();
                    pending.held[i].reset();
                    prepare_ms += reading.prepare_ms;
                    ocr_ms += reading.ocr_ms;
                    pending.pages[i].rotation_deg = reading.info.rotation_deg;
                    // The words' page: turned upright (its sides swapped after a quarter turn).
                    pending.pages[i].width = reading.info.width;
                    pending.pages[i].height = reading.info.height;
                    pending.pages[i].skew_deg = reading.info.skew_deg;
                    pending.pages[i].blank = reading.info.blank;
                    pending.pages[i].perspective = reading.info.perspective;
                    pending.pages[i].illegible = reading.info.illegible;
                    pending.pages[i].screen = reading.info.screen;
                    for (auto& word : reading.words) words.push_back(std::move(word));
                    codes_ms += reading.codes_ms;
                    pending.codes[i] = std::move(reading.codes);
                    pending.damaged_codes[i] = std::move(reading.damaged_codes);
                    doubtful[i] = std::move(reading.doubtful);
                    tell("ocr", static_cast<uint32_t>(i + 1));
                } catch (const InputError& error) {
                    result.error = ProcessError{error.code(), error.what()};
                } catch (const std::exception&) {
                    result.error = ProcessError{"ocr_failed", "La lecture de la page " + std::to_string(i + 1) +
                                                                  " a échoué."};
                }
            } else {
                for (auto& word : pending.words[i]) words.push_back(std::move(word));
            }
        }
        if (result.error) return result;  // every page was waited for: nothing left running
        result.timings_ms.emplace_back("prepare", prepare_ms);
        result.timings_ms.emplace_back("ocr", ocr_ms);
        const auto verify_start = Clock::now();
        std::vector<Barcode> barcodes;
        for (size_t i = 0; i < pending.codes.size(); ++i) {
            for (const auto& code : pending.codes[i]) {
                try {
                    if (auto barcode = twoddoc().read(code.payload, static_cast<uint32_t>(i + 1), code.box)) {
                        barcodes.push_back(std::move(*barcode));
                    }
                } catch (const Error& error) {
                    // The 2D-Doc data of the installation is unreadable: the page is still read.
                    result.warnings.push_back(std::string("Le code 2D-Doc n'a pas pu être vérifié : ") + error.what());
                    break;
                }
            }
        }
        // A code cut by the edge of the image, blurred or torn: nothing of it is used, and the
        // mediator is told (a 2D-Doc is the only DataMatrix these documents carry).
        for (size_t i = 0; i < pending.damaged_codes.size(); ++i) {
            for (const Box& box : pending.damaged_codes[i]) {
                Barcode damaged;
                damaged.page = static_cast<uint32_t>(i + 1);
                damaged.box = box;
                damaged.format = "2ddoc";
                damaged.status = CodeStatus::malformed;
                damaged.detail = "coupé par le bord de l'image, flou ou déchiré, il n'a pas pu être décodé";
                barcodes.push_back(std::move(damaged));
            }
        }
        result.timings_ms.emplace_back("barcodes", codes_ms + elapsed_ms(verify_start));
        document = Document(std::move(pending.pages), std::move(words), std::move(barcodes));
    }
    result.pages = document.page_count();
    result.page_info = document.pages();
    result.barcodes = document.barcodes();

    tell("extract", result.pages);
    const auto extract_start = Clock::now();
    double reread_wall_ms = 0.0;  // not extraction's: said apart ("reread")
    result.recognition = plugins_.recognise(document, options.threshold, options.only_plugin);
    for (const auto& error : result.recognition.errors) result.warnings.push_back(error);
    if (!options.kind.empty()) {
        // The kind the mediator chose: its plugin's own score for it kept, 0 when it gave none.
        const PluginInfo* chooser = nullptr;
        for (const PluginInfo* plugin : plugins_.loaded()) {
            if (plugin->has_kind(options.kind)) chooser = plugin;
        }
        if (chooser) {
            Candidate chosen{chooser->id, options.kind, 0.0};
            for (const auto& candidate : result.recognition.candidates) {
                if (candidate.kind == options.kind) chosen.confidence = std::max(chosen.confidence, candidate.confidence);
            }
            result.recognition.document = chosen;
        } else {
            result.warnings.push_back("Le type de document choisi n'est plus proposé sur ce site : "
                                      "le document a été reconnu comme d'ordinaire.");
        }
    }
    for (const auto& barcode : result.barcodes) {
        const std::string where = "Le code 2D-Doc de la page " + std::to_string(barcode.page);
        if (barcode.status == CodeStatus::invalid_signature) {
            result.warnings.push_back(where + " ne correspond pas à sa signature : le document a pu être modifié. "
                                              "Ses valeurs ne sont pas utilisées ; vérifiez l'original.");
        } else if (barcode.status == CodeStatus::unknown_certificate) {
            result.warnings.push_back(where + " n'a pas pu être vérifié (" + barcode.detail +
                                      ") : ses valeurs servent seulement à confirmer la lecture.");
        } else if (barcode.status == CodeStatus::malformed) {
            result.warnings.push_back(where + " est illisible ou abîmé (" + barcode.detail +
                                      ") : ses valeurs ne sont pas utilisées. Vérifiez le document, ou reprenez "
                                      "l'image avec le code entier et net.");
        } else if (barcode.test_authority) {
            result.warnings.push_back(where + " est un code de test (autorité FR00) : ce n'est pas un vrai document.");
        }
    }
    std::vector<uint32_t> several_documents;  // pages
    for (const auto& page : result.page_info) {
        const std::string which = "La page " + std::to_string(page.page);
        // Two documents' codes on one page: two sheets side by side in one photo, of which the
        // fields may mix.
        std::vector<const Barcode*> decoded;
        for (const auto& barcode : result.barcodes) {
            if (barcode.page != page.page || barcode.status == CodeStatus::malformed) continue;
            const bool same = std::any_of(decoded.begin(), decoded.end(), [&](const Barcode* other) {
                return other->document_type == barcode.document_type && other->fields == barcode.fields;
            });
            if (!same) decoded.push_back(&barcode);
        }
        if (decoded.size() > 1) {
            several_documents.push_back(page.page);
            result.warnings.push_back(which + " porte les codes 2D-Doc de " + std::to_string(decoded.size()) +
                                      " documents : l'image en montre sans doute plusieurs. Prenez-les un par un, "
                                      "et vérifiez chaque valeur lue.");
        }
        if (page.blank) {
            result.warnings.push_back(which + " est blanche : rien n'y a été lu. Vérifiez le sens de la feuille.");
        } else if (page.illegible) {
            result.warnings.push_back(page.perspective
                ? which + " est une photo floue ou trop sombre : peu de mots ont pu être lus. "
                          "Reprenez-la de plus près, à plat, sans ombre."
                : which + " est floue, trop sombre ou trop petite : peu de mots ont pu être lus. "
                          "Numérisez-la ou reprenez-la en photo, de plus près.");
        }
        if (page.screen && !page.blank) {
            result.warnings.push_back(which + " est une photo d'écran : la trame de l'écran brouille la lecture, "
                                              "vérifiez chaque valeur. Faites plutôt une capture d'écran sur le "
                                              "téléphone, ou ouvrez le document lui-même.");
        }
        if (page.rotation_deg != 0) {
            result.warnings.push_back(which + (page.rotation_deg == 180 ? " était à l'envers" : " était de côté") +
                                      " : elle a été tournée pour la lecture.");
        }
    }
    if (result.recognition.document) {
        const auto extract = [&] {
            return plugins_.extract(document, result.recognition.document->plugin, result.recognition.document->kind);
        };
        Extraction extraction = extract();
        const auto reread_start = Clock::now();
        const bool changed = read_again(document, extraction, doubtful, result);
        reread_wall_ms = elapsed_ms(reread_start);
        if (changed) extraction = extract();
        if (!extraction.ok) result.warnings.push_back(extraction.error);
        // Nothing read on a page that was hardly made out, photographed on a screen, or that
        // shows several documents, is sure: it is to be checked.
        for (auto& [key, field] : extraction.fields) {
            if (field.source != Source::ocr) continue;
            const bool mixed = std::find(several_documents.begin(), several_documents.end(), field.page) !=
                               several_documents.end();
            for (const auto& page : result.page_info) {
                if (page.page == field.page && (page.illegible || page.screen || mixed)) {
                    field.confidence = std::min(field.confidence, 0.5);
                }
            }
        }
        result.letters = extraction.letters;
        result.extraction = std::move(extraction);
    } else {
        result.letters = plugins_.universal_letters();
    }
    result.timings_ms.emplace_back("extract", elapsed_ms(extract_start) - reread_wall_ms);
    result.document = std::make_shared<const Document>(std::move(document));
    return result;
}

ProcessResult Pipeline::process(const std::string& path, const ProcessOptions& options) const {
    auto pending = start(path, options);
    return finish(*pending, options);
}

ProcessResult Pipeline::process_data(const std::string& data, const std::string& name,
                                    const ProcessOptions& options) const {
    auto pending = start(name, options, &data);
    return finish(*pending, options);
}

void Pipeline::process_many(const std::vector<std::string>& paths, const ProcessOptions& options,
                            const std::function<void(const ProcessResult&)>& emit) const {
    const size_t window = static_cast<size_t>(std::max(1, options_.ocr_engines)) + 1;
    std::deque<std::unique_ptr<Pending>> in_flight;
    size_t next = 0;
    while (next < paths.size() || !in_flight.empty()) {
        while (next < paths.size() && in_flight.size() < window) in_flight.push_back(start(paths[next++], options));
        auto pending = std::move(in_flight.front());
        in_flight.pop_front();
        emit(finish(*pending, options));
    }
}

std::string to_json_line(const ProcessResult& result) {
    Poco::JSON::Object object(Poco::JSON_PRESERVE_KEY_ORDER);
    object.set("file", result.file);
    if (result.error) {
        Poco::JSON::Object error(Poco::JSON_PRESERVE_KEY_ORDER);
        error.set("code", result.error->code);
        error.set("message", result.error->message);
        object.set("error", error);
    } else {
        const Poco::JSON::Object reading = reading_to_json(reading_of(result));
        for (const auto& name : reading.getNames()) object.set(name, reading.get(name));
    }
    return stringify(object);
}

std::string to_text(const ProcessResult& result) {
    std::ostringstream out;
    out << result.file;
    if (result.error) {
        out << " : ERREUR — " << result.error->message << "\n";
        return out.str();
    }
    out << " — " << result.pages << (result.pages > 1 ? " pages" : " page") << "\n";
    const auto percent = [](double confidence) { return std::to_string(static_cast<int>(std::lround(confidence * 100))) + " %"; };
    if (result.recognition.document) {
        out << "  Document : " << result.recognition.document->kind << " (greffon " << result.recognition.document->plugin
            << ", confiance " << percent(result.recognition.document->confidence) << ")\n";
    } else {
        out << "  Document non reconnu";
        if (!result.recognition.candidates.empty()) {
            out << " (meilleure piste : " << result.recognition.candidates.front().kind << ", "
                << percent(result.recognition.candidates.front().confidence) << ")";
        }
        out << "\n";
    }
    if (result.extraction) {
        out << "  Champs :" << (result.extraction->fields.empty() ? " aucun" : "") << "\n";
        for (const auto& [key, field] : result.extraction->fields) {
            out << "    " << field.label << " : " << field.value << "  (confiance " << percent(field.confidence);
            if (field.check == Check::failed) out << ", contrôle en échec";
            if (field.check == Check::mismatch) out << ", lectures en désaccord";
            if (!field.suggestion.empty()) out << ", suggestion : " << field.suggestion;
            if (field.source == Source::twoddoc) out << ", lu dans le code 2D-Doc";
            for (const auto& [source, value] : field.alternatives) {
                out << ", " << (source == Source::twoddoc ? "code 2D-Doc" : "lecture de la page") << " : " << value;
            }
            out << ")\n";
        }
    }
    for (const auto& barcode : result.barcodes) {
        out << "  Code " << barcode.format << " page " << barcode.page << " : " << (barcode.status ? to_string(*barcode.status) : "")
            << (barcode.test_authority ? " (autorité de test)" : "") << ", " << barcode.fields.size() << " champs\n";
    }
    out << "  Courriers proposés :";
    for (const auto& letter : result.letters) out << " " << letter;
    out << (result.letters.empty() ? " aucun" : "") << "\n";
    for (const auto& warning : result.warnings) out << "  Attention : " << warning << "\n";
    return out.str();
}

}  // namespace comptoir
