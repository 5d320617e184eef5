// Both sides of the decoding child (page_source.hpp). Requests and answers:
//   "open <max_pixels> <max_pages> <document_pixels> <max_file_bytes>\n" + the file
//       -> "ok <format> <pages>\n" + "<width> <height> <dpi>\n" per page
//   "page <index> <fit_width> <fit_height> <gray>\n" (gray 1: a colour page sent as prepare_page's
//       first step makes it, gray_page)
//       -> "ok <width> <height> <depth> <spp> <dpi> <text_layer> <words>\n" + "<x> <y> <w> <h> <line>
//          <block> <text>\n"
//          per word, then frames of at most 8 MB: the pixels as Leptonica holds them (height × wpl words)
//   either -> "error <code>\n<French message>"
#include "comptoir/reading/page_source.hpp"

#include "comptoir/base/error.hpp"
#include "comptoir/base/memory.hpp"
#include "comptoir/reading/prepare.hpp"
#include "comptoir/worker/child.hpp"

#include <leptonica/allheaders.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <new>
#include <sstream>

namespace comptoir {
namespace {

constexpr const char* kHeavy = "Ce fichier est trop lourd à lire : ";
constexpr size_t kPiece = 8u << 20;  // bytes of a page's pixels per frame

[[noreturn]] void child_failed(const worker::Outcome& outcome) {
    switch (outcome.status) {
    case worker::Status::out_of_memory:
        throw InputError("too_heavy", std::string(kHeavy) +
                                          "le décoder demande plus de mémoire que le serveur n'en accorde à un fichier. "
                                          "Envoyez-le en plus petit (300 dpi au plus) ou seulement les pages utiles.");
    case worker::Status::out_of_time:
        if (outcome.wall_clock) {
            throw InputError("timeout", "La lecture de ce fichier a pris trop de temps : elle a été arrêtée. "
                                        "Envoyez-le en plus petit, ou numérisez le document papier.");
        }
        throw InputError("too_heavy", std::string(kHeavy) +
                                          "le décoder demande plus de calcul que le serveur n'en accorde à un fichier. "
                                          "Imprimez-le et numérisez-le, ou envoyez-en une version plus simple.");
    case worker::Status::unavailable:
        throw Error("worker_unavailable", "le programme comptoir-worker ne démarre pas (installation incomplète).");
    default:
        throw InputError("unreadable", "Ce fichier n'a pas pu être lu : son décodage s'est arrêté net "
                                       "(fichier abîmé ?). Renvoyez-le, ou numérisez le document papier.");
    }
}

// --- the child ---------------------------------------------------------------------------

// Leptonica's images in the child: an allocation refused ends the child as "out of memory"
// (Leptonica would go on with a null image and call the file damaged).
void* pix_alloc(size_t size) {
    void* memory = std::malloc(size);
    if (!memory && size > 0) ::_exit(worker::kExitOutOfMemory);
    return memory;
}

// A page as it is sent: 1, 8 or 32 bits, no colour map.
PixPtr sendable(PixPtr pix) {
    const int depth = pixGetDepth(pix.get());
    if ((depth == 1 || depth == 8 || depth == 32) && !pixGetColormap(pix.get())) return pix;
    PixPtr converted(pixConvertTo8Or32(pix.get(), L_CLONE, 0));
    if (!converted) throw InputError("unreadable", "La page n'a pas pu être convertie.");
    return converted;
}

std::string error_answer(const std::string& code, const std::string& message) {
    return "error " + code + "\n" + message;
}

void serve_page(PageDecoder& decoder, std::istringstream& head, worker::Reply& reply) {
    size_t index = 0;
    int fit_width = 0, fit_height = 0, gray = 0;
    head >> index >> fit_width >> fit_height >> gray;
    if (index >= decoder.sizes().size()) return reply.send(error_answer("no_page", "Cette page n'existe pas."), true);
    LoadedPage page = decoder.decode(index);
    PixPtr pix = sendable(std::move(page.image));
    if (gray == 1 && pixGetDepth(pix.get()) == 32) {
        pix = gray_page(pix.get());
        if (!pix) throw InputError("unreadable", "La page n'a pas pu être convertie.");
    }
    const int width = pixGetWidth(pix.get()), height = pixGetHeight(pix.get());
    if ((fit_width > 0 && width > fit_width) || (fit_height > 0 && height > fit_height)) {
        PixPtr deep(pixConvertTo8Or32(pix.get(), L_CLONE, 0));
        const bool by_width = fit_width > 0 && (fit_height <= 0 || width * fit_height > height * fit_width);
        PixPtr scaled(pixScaleToSize(deep.get(), by_width ? fit_width : 0, by_width ? 0 : fit_height));
        if (!scaled) throw InputError("unreadable", "La page n'a pas pu être réduite.");
        pix = sendable(std::move(scaled));
    }
    std::ostringstream out;
    out << "ok " << pixGetWidth(pix.get()) << ' ' << pixGetHeight(pix.get()) << ' ' << pixGetDepth(pix.get()) << ' '
        << pixGetSpp(pix.get()) << ' ' << page.dpi << ' ' << (page.text_layer ? 1 : 0) << ' ' << page.words.size() << '\n';
    for (const Word& word : page.words) {
        std::string text = word.text;
        std::replace(text.begin(), text.end(), '\n', ' ');
        out << word.box.x << ' ' << word.box.y << ' ' << word.box.width << ' ' << word.box.height << ' ' << word.line_id
            << ' ' << word.block_id << ' ' << text << '\n';
    }
    reply.send(out.str());
    // In pieces, which the parent copies into its own image: never two whole copies there.
    const auto* data = reinterpret_cast<const char*>(pixGetData(pix.get()));
    const size_t size = static_cast<size_t>(pixGetWpl(pix.get())) * 4 * pixGetHeight(pix.get());
    for (size_t at = 0; at < size; at += kPiece) {
        reply.send(std::string_view(data + at, std::min(kPiece, size - at)), at + kPiece >= size);
    }
}

}  // namespace

int serve_decoding() {
    setMsgSeverity(L_SEVERITY_NONE);
    setPixMemoryManager(pix_alloc, std::free);
    std::unique_ptr<PageDecoder> decoder;
    return worker::serve([&decoder](std::string&& request, worker::Reply& reply) {
        const size_t end = request.find('\n');
        std::istringstream head(request.substr(0, end));
        std::string verb;
        head >> verb;
        try {
            if (verb == "open") {
                decoder.reset();
                InputLimits limits;
                head >> limits.max_pixels >> limits.max_pages >> limits.document_pixels >> limits.max_file_bytes;
                decoder = PageDecoder::open(end == std::string::npos ? std::string() : request.substr(end + 1), limits);
                std::ostringstream out;
                out << "ok " << decoder->format() << ' ' << decoder->sizes().size() << '\n';
                for (const PageSize& size : decoder->sizes()) out << size.width << ' ' << size.height << ' ' << size.dpi << '\n';
                reply.send(out.str(), true);
            } else if (verb == "page" && decoder) {
                serve_page(*decoder, head, reply);
            } else {
                reply.send(error_answer("not_open", "Le fichier n'est pas ouvert."), true);
            }
        } catch (const InputError& error) {
            reply.send(error_answer(error.code(), error.what()), true);
        }
    }, memory::return_free);  // idle a second: a page's pixels and a PDF's buffers, freed, go back
                              // to the system (a child held 44 MiB after a soak, bench/README.md)
}

// --- the parent ----------------------------------------------------------------------------

PixelBudget::Hold::~Hold() {
    if (!budget) return;
    {
        std::lock_guard<std::mutex> lock(budget->mutex_);
        budget->used_ -= pixels;
    }
    budget->freed_.notify_all();
}

std::unique_ptr<PixelBudget::Hold> PixelBudget::hold(int64_t pixels, SteadyClock::time_point deadline) {
    pixels = std::clamp<int64_t>(pixels, 0, capacity_);
    std::unique_lock<std::mutex> lock(mutex_);
    if (!freed_.wait_until(lock, deadline, [&] { return used_ + pixels <= capacity_; })) return nullptr;
    used_ += pixels;
    auto held = std::make_unique<Hold>();
    held->budget = this;
    held->pixels = pixels;
    return held;
}

int64_t PixelBudget::in_use() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return used_;
}

std::string default_worker_path() {
#ifdef COMPTOIR_INSTALL_WORKER
    return worker::program_path("comptoir-worker", COMPTOIR_INSTALL_WORKER);
#else
    return worker::program_path("comptoir-worker", "");
#endif
}

worker::RunnerOptions runner_options(const DecoderOptions& options) {
    worker::RunnerOptions runner;
    runner.executable = options.worker.empty() ? default_worker_path() : options.worker;
    runner.memory_bytes = options.memory_bytes;
    runner.cpu_seconds = options.cpu_seconds;
    return runner;
}

PageSource::PageSource(worker::Pool& pool, std::string data, const InputLimits& limits,
                       SteadyClock::time_point deadline)
    : data_(std::move(data)), limits_(limits) {
    // Refused here without a child: what needs no decoding.
    if (data_.empty()) throw InputError("empty_file", "Le fichier est vide.");
    lease_ = pool.take(deadline);
    if (!lease_) {
        throw InputError("timeout", "La lecture de ce fichier a attendu trop longtemps que le serveur se libère : "
                                    "recommencez dans quelques minutes.");
    }
    open(deadline);
}

PageSource::~PageSource() = default;

int64_t PageSource::total_pixels() const {
    int64_t total = 0;
    for (const PageSize& size : sizes_) total += size.pixels();
    return total;
}

// An answer: parts handed to `on_part` once the first is known to be no error.
std::string PageSource::ask(const std::string& request, SteadyClock::time_point deadline,
                           const std::function<void(std::string&&)>& on_more) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) child_failed({worker::Status::out_of_time, "", true});
    std::string first;
    bool any = false;
    const worker::Outcome outcome = (*lease_)->call(request, [&](std::string&& part) {
        if (!any) {
            any = true;
            first = std::move(part);
            if (first.rfind("error ", 0) == 0) return;
            if (on_more) on_more(std::string(first));
        } else if (on_more && first.rfind("error ", 0) != 0) {
            on_more(std::move(part));
        }
    }, left);
    if (!outcome.ok()) child_failed(outcome);
    if (!any) child_failed({worker::Status::crashed, "", false});
    if (first.rfind("error ", 0) == 0) {
        const size_t end = first.find('\n');
        throw InputError(first.substr(6, end - 6), end == std::string::npos ? "" : first.substr(end + 1));
    }
    return first;
}

void PageSource::open(SteadyClock::time_point deadline) {
    std::ostringstream request;
    request << "open " << limits_.max_pixels << ' ' << limits_.max_pages << ' ' << limits_.document_pixels << ' '
            << limits_.max_file_bytes << '\n';
    std::string bytes = request.str();
    bytes += data_;
    std::istringstream answer(ask(bytes, deadline));
    std::string ok;
    size_t count = 0;
    answer >> ok >> format_ >> count;
    sizes_.clear();
    for (size_t i = 0; i < count && answer; ++i) {
        PageSize size;
        answer >> size.width >> size.height >> size.dpi;
        sizes_.push_back(size);
    }
    if (sizes_.size() != count || count == 0) child_failed({worker::Status::crashed, "", false});
    opened_in_ = (*lease_)->pid();
}

LoadedPage PageSource::page(size_t index, SteadyClock::time_point deadline, int fit_width, int fit_height,
                            Pixels pixels) {
    if ((*lease_)->pid() != opened_in_) open(deadline);  // the child died since: another one
    PixPtr pix;
    size_t filled = 0, expected = 0;
    bool broken = false;
    const auto on_part = [&](std::string&& part) {
        if (broken) return;
        if (!pix && filled == 0 && expected == 0) {
            std::istringstream head(part.substr(0, part.find('\n')));
            std::string ok;
            int width = 0, height = 0, depth = 0;
            head >> ok >> width >> height >> depth;
            const bool sane = width > 0 && height > 0 && (depth == 1 || depth == 8 || depth == 32) &&
                              static_cast<int64_t>(width) * height <=
                                  std::max<int64_t>(limits_.max_pixels, sizes_.at(index).pixels());
            pix.reset(sane ? pixCreateNoInit(width, height, depth) : nullptr);
            if (!pix) {
                broken = true;
                return;
            }
            expected = static_cast<size_t>(pixGetWpl(pix.get())) * 4 * static_cast<size_t>(height);
            return;
        }
        if (!pix || filled + part.size() > expected) {
            broken = true;
            return;
        }
        std::memcpy(reinterpret_cast<char*>(pixGetData(pix.get())) + filled, part.data(), part.size());
        filled += part.size();
    };
    std::istringstream answer(ask("page " + std::to_string(index) + " " + std::to_string(fit_width) + " " +
                                      std::to_string(fit_height) + (pixels == Pixels::gray ? " 1\n" : " 0\n"),
                                  deadline, on_part));
    if (broken || !pix || filled != expected) child_failed({worker::Status::crashed, "", false});
    std::string ok;
    int width = 0, height = 0, depth = 0, spp = 0, dpi = 0, text_layer = 0;
    size_t words = 0;
    answer >> ok >> width >> height >> depth >> spp >> dpi >> text_layer >> words;
    pixSetSpp(pix.get(), spp);
    pixSetResolution(pix.get(), dpi, dpi);
    LoadedPage page;
    page.image = std::move(pix);
    page.dpi = dpi;
    page.text_layer = text_layer != 0;
    answer.ignore(1);
    for (size_t i = 0; i < words; ++i) {
        Word word;
        answer >> word.box.x >> word.box.y >> word.box.width >> word.box.height >> word.line_id >> word.block_id;
        answer.ignore(1);
        std::getline(answer, word.text);
        word.confidence = 1.0f;
        word.page = static_cast<uint32_t>(index + 1);
        page.words.push_back(std::move(word));
    }
    return page;
}

}  // namespace comptoir
