#include "test_support.hpp"

#include <Poco/File.h>
#include <Poco/Logger.h>
#include <Poco/Path.h>
#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <Poco/StreamCopier.h>
#include <Poco/TemporaryFile.h>

#include <openssl/crypto.h>
#include <sys/wait.h>

#include <csignal>
#include <fstream>
#include <future>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace {

// As comptoir's main does: OpenSSL set up on the main thread, before the tests' servers start
// threads of their own (a request's thread would keep the state of that set-up, and lose it).
const bool openssl_ready = OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, nullptr) == 1;

}  // namespace

namespace comptoir::test {

TempDir::TempDir() {
    path_ = Poco::TemporaryFile::tempName();
    Poco::File(path_).createDirectories();
}

TempDir::~TempDir() {
    try {
        Poco::File(path_).remove(true);
    } catch (...) {
    }
}

std::string TempDir::write(const std::string& name, const std::string& content) const {
    const std::string path = file(name);
    Poco::File(Poco::Path(path).parent()).createDirectories();
    std::ofstream out(path, std::ios::binary);
    out << content;
    if (!out) throw std::runtime_error("cannot write " + path);
    return path;
}

void copy_file(const std::string& from, const std::string& to) { Poco::File(from).copyTo(to); }

std::string read_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string twoddoc_bytes(std::string text) {
    for (const auto& [from, to] : {std::pair<std::string, char>{"<GS>", '\x1d'}, {"<RS>", '\x1e'}, {"<US>", '\x1f'}}) {
        for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + 1)) text.replace(at, from.size(), 1, to);
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::string& working_dir) {
    Poco::Pipe out_pipe;
    Poco::Pipe err_pipe;
    Poco::ProcessHandle handle = Poco::Process::launch(program, args, working_dir.empty() ? "." : working_dir,
                                                       nullptr, &out_pipe, &err_pipe);
    ProcessResult result;
    // Read both pipes at once so a child filling one never blocks.
    auto err_reader = std::async(std::launch::async, [&err_pipe] {
        Poco::PipeInputStream stream(err_pipe);
        std::string text;
        Poco::StreamCopier::copyToString(stream, text);
        return text;
    });
    Poco::PipeInputStream out_stream(out_pipe);
    Poco::StreamCopier::copyToString(out_stream, result.out);
    result.err = err_reader.get();
    result.exit_code = handle.wait();
    return result;
}

struct ChildProcess::Impl {
    Poco::Pipe err_pipe;
    std::unique_ptr<Poco::ProcessHandle> handle;
    std::unique_ptr<Poco::PipeInputStream> err_stream;
    bool finished = false;
};

ChildProcess::ChildProcess(const std::string& program, const std::vector<std::string>& args)
    : impl_(std::make_unique<Impl>()) {
    impl_->handle = std::make_unique<Poco::ProcessHandle>(
        Poco::Process::launch(program, args, ".", nullptr, nullptr, &impl_->err_pipe));
    impl_->err_stream = std::make_unique<Poco::PipeInputStream>(impl_->err_pipe);
}

ChildProcess::~ChildProcess() {
    if (!impl_->finished) stop(SIGKILL, 10);
}

int ChildProcess::pid() const { return impl_->handle->id(); }

std::string ChildProcess::wait_for_line(const std::string& needle) {
    std::string line;
    while (std::getline(*impl_->err_stream, line)) {
        err_ += line + "\n";
        if (line.find(needle) != std::string::npos) return line;
    }
    return {};
}

int ChildProcess::stop(int signal_number, int timeout_s) {
    if (impl_->finished) return -1;
    ::kill(pid(), signal_number);
    const int child = pid();
    auto waiter = std::async(std::launch::async, [child] {
        int status = 0;
        if (::waitpid(child, &status, 0) != child) return -2;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    });
    if (waiter.wait_for(std::chrono::seconds(timeout_s)) != std::future_status::ready) {
        ::kill(child, SIGKILL);
        waiter.wait();
        impl_->finished = true;
        return -1;
    }
    impl_->finished = true;
    // Keep what the process wrote on its way out.
    std::string line;
    while (std::getline(*impl_->err_stream, line)) err_ += line + "\n";
    return waiter.get();
}

void CapturingChannel::log(const Poco::Message& message) {
    std::lock_guard<std::mutex> lock(mutex_);
    lines_.push_back(message.getSource() + " : " + message.getText());
}

std::vector<std::string> CapturingChannel::lines() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return lines_;
}

bool CapturingChannel::contains(const std::string& a, const std::string& b) const {
    for (const auto& line : lines()) {
        if (line.find(a) != std::string::npos && (b.empty() || line.find(b) != std::string::npos)) return true;
    }
    return false;
}

// Channels are passed as Channel::Ptr: a raw pointer would become one that does not count itself,
// and the channel be freed while still in use (AddressSanitizer found it).
LogCapture::LogCapture() : channel_(new CapturingChannel), previous_(Poco::Logger::root().getChannel()) {
    Poco::Logger::setChannel("", Poco::Channel::Ptr(channel_));
    Poco::Logger::setLevel("", Poco::Message::PRIO_DEBUG);
}

LogCapture::~LogCapture() {
    Poco::Logger::setChannel("", previous_);
}

}  // namespace comptoir::test
