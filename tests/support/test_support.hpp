// Helpers shared by the test suites: temporary folders, child processes, captured logs.
#pragma once

#include <Poco/AutoPtr.h>
#include <Poco/Channel.h>
#include <Poco/Message.h>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace comptoir::test {

// A fresh folder under the system's temporary folder, removed with everything in it.
class TempDir {
public:
    TempDir();
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::string& path() const { return path_; }
    std::string file(const std::string& name) const { return path_ + "/" + name; }
    // Writes `content` to `name` inside the folder; returns the full path.
    std::string write(const std::string& name, const std::string& content) const;

private:
    std::string path_;
};

void copy_file(const std::string& from, const std::string& to);
std::string read_file(const std::string& path);

// A 2D-Doc payload written as text ("<GS>", "<RS>", "<US>", as the specification's vectors in tests/data/2ddoc do) as the bytes
// 0x1D, 0x1E, 0x1F; a trailing line break dropped.
std::string twoddoc_bytes(std::string text);

struct ProcessResult {
    int exit_code = -1;
    std::string out;
    std::string err;
};

// Runs a program to its end, capturing stdout and stderr.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args,
                          const std::string& working_dir = {});

// A running child process whose stderr is read line by line (for servers).
class ChildProcess {
public:
    ChildProcess(const std::string& program, const std::vector<std::string>& args);
    ~ChildProcess();
    int pid() const;
    // Reads stderr lines until one contains `needle`; returns it, or "" at end of stream.
    std::string wait_for_line(const std::string& needle);
    // Everything read from stderr so far.
    const std::string& err_so_far() const { return err_; }
    // Sends `signal_number`, waits up to `timeout_s` for the exit; returns the exit code, or
    // -1 on timeout (the process is then killed).
    int stop(int signal_number, int timeout_s);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
    std::string err_;
};

// Collects Poco log messages for assertions.
class CapturingChannel : public Poco::Channel {
public:
    void log(const Poco::Message& message) override;
    std::vector<std::string> lines() const;
    bool contains(const std::string& a, const std::string& b = {}) const;  // one line with both

private:
    mutable std::mutex mutex_;
    std::vector<std::string> lines_;
};

// Installs a CapturingChannel on the root logger for the life of the object.
class LogCapture {
public:
    LogCapture();
    ~LogCapture();
    const CapturingChannel& channel() const { return *channel_; }

private:
    Poco::AutoPtr<CapturingChannel> channel_;
    Poco::AutoPtr<Poco::Channel> previous_;
};

}  // namespace comptoir::test
