// Scanner stations against SANE's real virtual backends: "test" (patterns, every status, a
// feeder that empties after 10 sheets, hand scanner, 16-bit, three-pass, slow reads) and
// "pnm" (a given file, pixel for pixel), through the project's SANE_CONFIG_DIR.
#include "comptoir/image/image.hpp"
#include "comptoir/scanners.hpp"

#include "test_support.hpp"

#include <leptonica/allheaders.h>

#include <gtest/gtest.h>

#include <random>

using comptoir::scanners::CancelFlag;
using comptoir::scanners::ScanError;
using comptoir::scanners::ScannedPage;
using comptoir::scanners::ScanProgress;
using comptoir::scanners::ScanRequest;
using comptoir::scanners::StationSettings;
using comptoir::scanners::Stations;
using comptoir::test::TempDir;

namespace {

class Scanners : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        setMsgSeverity(L_SEVERITY_NONE);
        sane_ = new comptoir::scanners::Sane(COMPTOIR_TEST_SANE_DIR);
        StationSettings a;
        a.id = "accueil";
        a.label = "Accueil";
        a.device = "test:0";
        a.resolution_dpi = 50;
        StationSettings b;
        b.id = "bureau-2";
        b.label = "Bureau 2";
        b.match = "noname frontend*";  // vendor and model, case ignored
        b.resolution_dpi = 50;
        StationSettings lost;
        lost.id = "perdu";
        lost.label = "Bureau 3";
        lost.match = "Canon*LiDE*";
        stations_ = new Stations(*sane_, {a, b, lost});
    }
    static void TearDownTestSuite() {
        delete stations_;
        delete sane_;
    }

    static std::vector<ScannedPage> scan(const std::string& device, ScanRequest request,
                                         comptoir::scanners::ProgressCallback progress = {}, CancelFlag cancel = {}) {
        return stations_->scan_device(device, std::move(request), std::move(progress), std::move(cancel)).get();
    }

    // The code of the ScanError a scan gives, or "" when it succeeds.
    static std::string scan_error(const std::string& device, ScanRequest request) {
        try {
            scan(device, std::move(request));
        } catch (const ScanError& error) {
            EXPECT_FALSE(std::string(error.what()).empty());
            return error.code();
        }
        return {};
    }

    // The test backend keeps its option values from one open to the next (as many real
    // backends do): every request states the ones the tests change.
    static ScanRequest basic(int dpi = 50) {
        ScanRequest request;
        request.resolution_dpi = dpi;
        request.source = "flatbed";
        request.backend_options = {{"read-return-value", "Default"}, {"hand-scanner", "no"}, {"depth", "8"},
                                   {"test-picture", "Solid black"}, {"read-delay", "no"}, {"read-limit", "no"},
                                   {"ppl-loss", "0"}};
        return request;
    }

    // A slow page: the test backend waits `delay_us` after each buffer of `buffer_bytes`.
    static ScanRequest slow(int dpi, const std::string& delay_us, const std::string& buffer_bytes) {
        ScanRequest request = basic(dpi);
        request.backend_options["read-delay"] = "yes";
        request.backend_options["read-delay-duration"] = delay_us;
        request.backend_options["read-limit"] = "yes";
        request.backend_options["read-limit-size"] = buffer_bytes;
        return request;
    }

    static l_uint32 pixel(Pix* pix, int x, int y) {
        l_uint32 value = 0;
        pixGetPixel(pix, x, y, &value);
        return value;
    }

    static inline comptoir::scanners::Sane* sane_ = nullptr;
    static inline Stations* stations_ = nullptr;
};

}  // namespace

TEST_F(Scanners, DiscoversTheVirtualDevicesAndCachesThem) {
    const auto devices = sane_->devices(true);
    std::vector<std::string> names;
    for (const auto& device : devices) names.push_back(device.name);
    for (const char* expected : {"test:0", "test:1", "pnm:0"}) {
        EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
    }
    EXPECT_EQ(sane_->devices(false).size(), devices.size());
}

TEST_F(Scanners, ResolvesStationsByNameOrPatternAndSaysWhyNot) {
    const auto states = stations_->list(true);
    ASSERT_EQ(states.size(), 3u);
    ASSERT_TRUE(states[0].device);
    EXPECT_EQ(states[0].device->name, "test:0");
    ASSERT_TRUE(states[1].device);
    EXPECT_EQ(states[1].device->model, "frontend-tester");
    EXPECT_FALSE(states[2].device);
    EXPECT_NE(states[2].problem.find("« Canon*LiDE* »"), std::string::npos) << states[2].problem;
    EXPECT_NE(states[2].problem.find("test:0"), std::string::npos) << states[2].problem;
    try {
        stations_->scan("perdu", false).get();
        FAIL() << "scanned with no device";
    } catch (const ScanError& error) {
        EXPECT_EQ(error.code(), "device_not_found");
        EXPECT_NE(std::string(error.what()).find("Bureau 3"), std::string::npos);
    }
}

TEST_F(Scanners, ReadsOptionsWithTheirConstraints) {
    const auto options = stations_->options("test:0");
    const auto find = [&](const std::string& name) {
        return std::find_if(options.begin(), options.end(), [&](const auto& option) { return option.name == name; });
    };
    const auto resolution = find("resolution");
    ASSERT_NE(resolution, options.end());
    EXPECT_EQ(resolution->unit, "dpi");
    ASSERT_TRUE(resolution->min && resolution->max);
    EXPECT_DOUBLE_EQ(*resolution->max, 1200.0);
    const auto mode = find("mode");
    ASSERT_NE(mode, options.end());
    EXPECT_NE(std::find(mode->choices.begin(), mode->choices.end(), "Color"), mode->choices.end());
}

TEST_F(Scanners, AStationScansWithItsDefaults) {
    const auto pages = stations_->scan("accueil", false).get();
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_EQ(pages[0].dpi, 50);
    // The default area is 80 × 100 mm: at 50 dpi, 157 × 196 pixels.
    EXPECT_NEAR(comptoir::pix_width(pages[0].image.get()), 157, 1);
    EXPECT_NEAR(comptoir::pix_height(pages[0].image.get()), 196, 1);
    EXPECT_EQ(pixel(pages[0].image.get(), 10, 10), 0u);  // "Solid black"
}

TEST_F(Scanners, ThePnmImageComesBackPixelForPixel) {
    TempDir dir;
    comptoir::PixPtr original(pixCreate(301, 211, 8));
    std::mt19937 random(7);
    for (int y = 0; y < 211; ++y) {
        for (int x = 0; x < 301; ++x) pixSetPixel(original.get(), x, y, random() % 256);
    }
    const std::string path = dir.file("page.pgm");
    ASSERT_EQ(pixWrite(path.c_str(), original.get(), IFF_PNM), 0);
    ScanRequest request;
    request.mode.clear();  // the pnm backend has no mode
    request.resolution_dpi = 300;
    request.backend_options = {{"filename", path}};
    const auto pages = scan("pnm:0", request);
    ASSERT_EQ(pages.size(), 1u);
    l_int32 same = 0;
    ASSERT_EQ(pixEqual(original.get(), pages[0].image.get(), &same), 0);
    EXPECT_TRUE(same);
    EXPECT_EQ(pages[0].dpi, 300);
}

TEST_F(Scanners, AResolutionTheDeviceDoesNotOfferIsRoundedToTheNearest) {
    TempDir dir;
    comptoir::PixPtr original(pixCreate(40, 30, 8));
    const std::string path = dir.file("page.pgm");
    ASSERT_EQ(pixWrite(path.c_str(), original.get(), IFF_PNM), 0);
    ScanRequest request;
    request.mode.clear();
    request.resolution_dpi = 280;  // the pnm backend offers 270 and 285 … : 285 is nearest
    request.backend_options = {{"filename", path}};
    EXPECT_EQ(scan("pnm:0", request)[0].dpi, 285);
}

class ScannerStatus : public Scanners, public ::testing::WithParamInterface<std::pair<std::string, std::string>> {};

// The test backend's reader thread is cancelled asynchronously (sanei_thread): cancelled while
// it is inside malloc or free, it leaves the allocator's lock taken and sane_cancel waits for it
// forever (seen under load, about once in 40 runs, and once more in a fresh clone's run after
// the reader was slowed down). A page of 50 dpi (31 KB) goes into the pipe in one write, after
// which the reader frees its buffer and ends, just when the status error makes the scan cancel
// it. At 150 dpi the page (279 KB) is more than the pipe holds: when the error comes the reader
// is sleeping before its next write or blocked in it, in the kernel, never in the allocator.
void slow_reader(ScanRequest& request) {
    request.resolution_dpi = 150;
    request.backend_options["non-blocking"] = "yes";
    request.backend_options["select-fd"] = "yes";
    request.backend_options["read-delay"] = "yes";
    request.backend_options["read-delay-duration"] = "10000";
}

TEST_P(ScannerStatus, IsAClearErrorAndTheStationStaysUsable) {
    const auto& [status, code] = GetParam();
    ScanRequest request = basic();
    request.backend_options["read-return-value"] = status;
    slow_reader(request);
    EXPECT_EQ(scan_error("test:0", request), code);
    // The next scan on the same device works.
    EXPECT_EQ(scan("test:0", basic()).size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(
    EveryStatus, ScannerStatus,
    ::testing::Values(std::pair<std::string, std::string>{"SANE_STATUS_JAMMED", "jammed"},
                      std::pair<std::string, std::string>{"SANE_STATUS_NO_DOCS", "no_documents"},
                      std::pair<std::string, std::string>{"SANE_STATUS_COVER_OPEN", "cover_open"},
                      std::pair<std::string, std::string>{"SANE_STATUS_DEVICE_BUSY", "device_busy"},
                      std::pair<std::string, std::string>{"SANE_STATUS_IO_ERROR", "io_error"},
                      std::pair<std::string, std::string>{"SANE_STATUS_NO_MEM", "no_memory"},
                      std::pair<std::string, std::string>{"SANE_STATUS_ACCESS_DENIED", "access_denied"},
                      std::pair<std::string, std::string>{"SANE_STATUS_CANCELLED", "cancelled"},
                      std::pair<std::string, std::string>{"SANE_STATUS_INVAL", "invalid_option"}),
    [](const auto& param_info) { return param_info.param.second; });

TEST_F(Scanners, StatusMessagesAreFrenchForTheMediator) {
    EXPECT_NE(std::string(comptoir::scanners::error_for_status(6, "test:0").what()).find("coincé"), std::string::npos);
    EXPECT_NE(std::string(comptoir::scanners::error_for_status(8, "test:0").what()).find("capot"), std::string::npos);
}

TEST_F(Scanners, TheFeederIsScannedUntilEmpty) {
    ScanRequest request = basic();
    request.source = "feeder";
    std::vector<int> pages_seen;
    const auto pages = scan("test:1", request, [&](const ScanProgress& progress) {
        if (pages_seen.empty() || pages_seen.back() != progress.page) pages_seen.push_back(progress.page);
    });
    EXPECT_EQ(pages.size(), 10u);
    EXPECT_EQ(pages_seen.size(), 10u);
}

TEST_F(Scanners, AFaultInTheFeederKeepsTheSheetsAlreadyScanned) {
    // The test backend's statuses hit every read, so the first sheet would fail: a cancel on
    // the third sheet plays a fault in the middle of a batch.
    ScanRequest request = basic();
    request.source = "feeder";
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    try {
        scan("test:1", request, [&](const ScanProgress& progress) {
            if (progress.page == 3) cancel->store(true);
        }, cancel);
        FAIL() << "not cancelled";
    } catch (const ScanError& error) {
        EXPECT_EQ(error.code(), "cancelled");
        ASSERT_TRUE(error.pages_before);
        EXPECT_EQ(error.pages_before->size(), 2u);
    }
}

TEST_F(Scanners, BrightnessIsSetWhereTheDeviceOffersIt) {
    TempDir dir;
    comptoir::PixPtr original(pixCreate(60, 40, 8));
    pixSetAllGray(original.get(), 100);
    const std::string path = dir.file("gris.pgm");
    ASSERT_EQ(pixWrite(path.c_str(), original.get(), IFF_PNM), 0);
    ScanRequest request;
    request.mode.clear();
    request.resolution_dpi = 150;
    request.backend_options = {{"filename", path}};
    request.brightness = 0;
    const auto plain = scan("pnm:0", request);
    request.brightness = 50;
    const auto brighter = scan("pnm:0", request);
    EXPECT_EQ(pixel(plain[0].image.get(), 10, 10), 100u);
    EXPECT_GT(pixel(brighter[0].image.get(), 10, 10), 100u);
    request.brightness = 0;
    scan("pnm:0", request);  // leave the backend as found
}

TEST_F(Scanners, AnEmptyFeederIsNoDocuments) {
    // A feeder that has nothing on its first page is an error, not an empty document.
    ScanRequest request = basic();
    request.source = "feeder";
    request.backend_options["read-return-value"] = "SANE_STATUS_NO_DOCS";
    slow_reader(request);
    EXPECT_EQ(scan_error("test:1", request), "no_documents");
}

TEST_F(Scanners, AHandScannerOfUnknownHeight) {
    ScanRequest request = basic(100);
    request.backend_options["hand-scanner"] = "yes";
    int total_lines = 0;
    int percent = 0;
    const auto pages = scan("test:0", request, [&](const ScanProgress& progress) {
        total_lines = progress.total_lines;
        percent = progress.percent;
    });
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_EQ(total_lines, -1);
    EXPECT_EQ(percent, -1);
    EXPECT_NEAR(comptoir::pix_width(pages[0].image.get()), 433, 2);  // 11 cm at 100 dpi
    EXPECT_GT(comptoir::pix_height(pages[0].image.get()), 0);
}

TEST_F(Scanners, SixteenAndOneBitGrayBecomeEightBit) {
    ScanRequest white = basic();
    white.backend_options["depth"] = "16";
    white.backend_options["test-picture"] = "Solid white";
    const auto pages = scan("test:0", white);
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_EQ(pixGetDepth(pages[0].image.get()), 8);
    EXPECT_EQ(pixel(pages[0].image.get(), 5, 5), 255u);

    ScanRequest lineart = basic();
    lineart.backend_options["depth"] = "1";
    lineart.backend_options["test-picture"] = "Solid white";
    const auto bits = scan("test:0", lineart);
    EXPECT_EQ(pixel(bits[0].image.get(), 5, 5), 255u);
}

TEST_F(Scanners, ThreePassColourMatchesOnePassColour) {
    ScanRequest one = basic();
    one.mode = "Color";
    one.backend_options["test-picture"] = "Color pattern";
    one.backend_options["three-pass"] = "no";
    ScanRequest three = one;
    three.backend_options["three-pass"] = "yes";
    three.backend_options["three-pass-order"] = "GBR";
    const auto single = scan("test:0", one);
    const auto passes = scan("test:0", three);
    ASSERT_EQ(pixGetDepth(single[0].image.get()), 32);
    l_int32 same = 0;
    ASSERT_EQ(pixEqual(single[0].image.get(), passes[0].image.get(), &same), 0);
    EXPECT_TRUE(same);
    // The colour pattern really is in colour.
    l_int32 r = 0, g = 0, b = 0;
    bool coloured = false;
    for (int y = 0; y < comptoir::pix_height(single[0].image.get()) && !coloured; y += 2) {
        for (int x = 0; x < comptoir::pix_width(single[0].image.get()) && !coloured; x += 2) {
            pixGetRGBPixel(single[0].image.get(), x, y, &r, &g, &b);
            coloured = !(r == g && g == b);
        }
    }
    EXPECT_TRUE(coloured);
}

TEST_F(Scanners, PaddedLinesKeepTheirWidth) {
    ScanRequest request = basic();
    request.backend_options["ppl-loss"] = "7";
    request.backend_options["test-picture"] = "Solid white";
    const auto pages = scan("test:0", request);
    EXPECT_NEAR(comptoir::pix_width(pages[0].image.get()), 157 - 7, 1);
    EXPECT_EQ(pixel(pages[0].image.get(), 140, 5), 255u);
}

TEST_F(Scanners, PaperSizeIsClampedToTheDevice) {
    ScanRequest request = basic();
    request.paper = "A4";  // 210 × 297 mm on a 200 × 200 mm flatbed
    const auto pages = scan("test:0", request);
    EXPECT_NEAR(comptoir::pix_width(pages[0].image.get()), 394, 2);
    EXPECT_NEAR(comptoir::pix_height(pages[0].image.get()), 394, 2);
    request.paper = "A3+";
    EXPECT_EQ(scan_error("test:0", request), "invalid_option");
}

TEST_F(Scanners, BadSettingsAreRefusedClearly) {
    ScanRequest request = basic();
    request.backend_options["resolution"] = "5000";
    EXPECT_EQ(scan_error("test:0", request), "invalid_option");
    request = basic();
    request.mode = "Infrarouge";
    EXPECT_EQ(scan_error("test:0", request), "invalid_option");
    request = basic();
    request.backend_options["lumiere-noire"] = "oui";
    EXPECT_EQ(scan_error("test:0", request), "invalid_option");
    request = basic();
    request.source = "duplex";  // no virtual backend offers duplex
    EXPECT_EQ(scan_error("test:0", request), "unsupported");
    EXPECT_EQ(scan_error("test:9", basic()), "device_not_found");
}

TEST_F(Scanners, ASlowScanIsCancelled) {
    // 200 ms after each read of 512 bytes: this page would take half a minute.
    const ScanRequest slow_page = slow(100, "200000", "512");
    auto cancel = std::make_shared<std::atomic<bool>>(false);
    int reads = 0;
    try {
        scan("test:0", slow_page, [&](const ScanProgress&) {
            if (++reads == 3) cancel->store(true);
        }, cancel);
        FAIL() << "the scan was not cancelled";
    } catch (const ScanError& error) {
        EXPECT_EQ(error.code(), "cancelled");
    }
    EXPECT_LT(reads, 10);
    EXPECT_EQ(scan("test:0", basic()).size(), 1u);  // usable again
}

TEST_F(Scanners, LanesFollowBackendsAndRemoteHosts) {
    EXPECT_EQ(comptoir::scanners::scan_lane("test:0"), "test");
    EXPECT_EQ(comptoir::scanners::scan_lane("genesys:libusb:001:004"), "genesys");
    EXPECT_EQ(comptoir::scanners::scan_lane("net:desk2:genesys:libusb:001:004"), "net:desk2");
    EXPECT_EQ(comptoir::scanners::scan_lane("net:10.0.0.7:test:0"), "net:10.0.0.7");
}

TEST_F(Scanners, TwoLanesScanAtOnceAndOneLaneTakesOneJobAtATime) {
    // While a slow page is being read on test:0, a job on another lane (pnm) finishes, and a
    // second job on test:0's lane does not start. Decided inside the first job's progress
    // callback, so no timing is guessed.
    TempDir dir;
    comptoir::PixPtr image(pixCreate(50, 40, 8));
    const std::string path = dir.file("page.pgm");
    ASSERT_EQ(pixWrite(path.c_str(), image.get(), IFF_PNM), 0);
    ScanRequest other;
    other.mode.clear();
    other.resolution_dpi = 150;
    other.backend_options = {{"filename", path}};

    const ScanRequest slow_page = slow(100, "20000", "2048");

    bool asked = false;
    bool other_lane_finished = false;
    bool same_lane_started = true;
    std::future<std::vector<ScannedPage>> same_lane;
    const auto pages = scan("test:0", slow_page, [&](const ScanProgress&) {
        if (asked) return;
        asked = true;
        other_lane_finished = stations_->scan_device("pnm:0", other).wait_for(std::chrono::seconds(20)) ==
                              std::future_status::ready;
        same_lane = stations_->scan_device("test:1", basic());
        same_lane_started = same_lane.wait_for(std::chrono::milliseconds(300)) == std::future_status::ready;
    });
    EXPECT_EQ(pages.size(), 1u);
    EXPECT_TRUE(other_lane_finished);
    EXPECT_FALSE(same_lane_started);
    ASSERT_TRUE(same_lane.valid());
    EXPECT_EQ(same_lane.get().size(), 1u);  // and it runs once the lane is free
}

// What a desk offers the mediator comes from the device's own options: the test backend has a
// flatbed and a feeder, gray and colour, a 200 × 200 mm area, and no duplex.
TEST_F(Scanners, TheOfferIsWhatTheDeviceHas) {
    const auto offer = stations_->offer("accueil");
    EXPECT_FALSE(offer.duplex);
    EXPECT_EQ(offer.sources, (std::vector<std::string>{"Flatbed", "Automatic Document Feeder"}));
    EXPECT_EQ(offer.modes, (std::vector<std::string>{"Gray", "Color"}));
    EXPECT_EQ(offer.resolutions, (std::vector<int>{75, 100, 150, 200, 300, 400, 600, 1200}));  // within 1..1200
    ASSERT_TRUE(offer.area_mm);
    EXPECT_DOUBLE_EQ(offer.area_mm->first, 200.0);
    EXPECT_DOUBLE_EQ(offer.area_mm->second, 200.0);

    comptoir::scanners::ScanChoice choice;
    choice.resolution_dpi = 300;
    choice.mode = "color";
    choice.source = "Automatic Document Feeder";
    choice.area_mm = std::array<double, 4>{10, 10, 190, 150};
    EXPECT_EQ(comptoir::scanners::refusal(offer, choice), std::nullopt);
    choice.duplex = true;
    ASSERT_TRUE(comptoir::scanners::refusal(offer, choice));
    EXPECT_NE(comptoir::scanners::refusal(offer, choice)->find("recto verso"), std::string::npos);
    choice.duplex = false;
    choice.resolution_dpi = 301;  // within the device's range
    EXPECT_EQ(comptoir::scanners::refusal(offer, choice), std::nullopt);
    choice.resolution_dpi = 5000;
    EXPECT_NE(comptoir::scanners::refusal(offer, choice).value_or("").find("5000 ppp"), std::string::npos);
    choice.resolution_dpi.reset();
    choice.area_mm = std::array<double, 4>{20, 0, 190, 150};  // 210 mm wide on a 200 mm glass
    EXPECT_NE(comptoir::scanners::refusal(offer, choice).value_or("").find("200 × 200 mm"), std::string::npos);
    // A duplex source is duplex.
    comptoir::scanners::OptionInfo source;
    source.name = "source";
    source.active = source.settable = true;
    source.choices = {"Flatbed", "ADF Duplex"};
    EXPECT_TRUE(comptoir::scanners::offer_of({source}).duplex);
    EXPECT_FALSE(comptoir::scanners::offer_of({source}).area_mm);
}

TEST_F(Scanners, AChosenAreaIsWhatIsScanned) {
    comptoir::scanners::ScanChoice choice;
    choice.resolution_dpi = 50;
    choice.source = "Flatbed";
    choice.area_mm = std::array<double, 4>{10, 20, 101.6, 50.8};  // 4 × 2 inches
    const auto pages = stations_->scan("accueil", choice).get();
    ASSERT_EQ(pages.size(), 1u);
    EXPECT_NEAR(comptoir::pix_width(pages[0].image.get()), 200, 2);
    EXPECT_NEAR(comptoir::pix_height(pages[0].image.get()), 100, 2);
    // The backend keeps its area from one scan to the next: the default one, back.
    choice.area_mm = std::array<double, 4>{0, 0, 80, 100};
    stations_->scan("accueil", choice).get();
}
