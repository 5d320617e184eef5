// The child of worker_test.cpp: each request a behaviour the runner must survive.
#include "comptoir/worker/child.hpp"

#include <dirent.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <string>
#include <memory>
#include <vector>

int main(int argc, char** argv) {
    // How it starts: as asked by the test (a slow program to load, one that dies loading).
    const std::string start = argc > 1 ? argv[1] : "";
    if (start == "slow-start") ::usleep(400 * 1000);
    if (start == "crash-at-start") ::raise(SIGSEGV);
    // "idle-after MS": how long without a request before the child counts itself idle.
    const auto idle_after = std::chrono::milliseconds(start == "idle-after" && argc > 2 ? std::stoi(argv[2]) : 60000);
    int idles = 0;
    return comptoir::worker::serve([&idles](std::string&& request, comptoir::worker::Reply& reply) {
        if (request == "idles") return reply.send(std::to_string(idles), true);
        if (request.rfind("echo ", 0) == 0) {
            reply.send(request.substr(5), true);
        } else if (request.rfind("parts ", 0) == 0) {
            const int count = std::stoi(request.substr(6));
            for (int i = 1; i <= count; ++i) reply.send(std::to_string(i), i == count);
        } else if (request == "pid") {
            reply.send(std::to_string(::getpid()), true);
        } else if (request == "fds") {
            // The descriptors the child has open (its listing's own left out), in order.
            std::string open;
            DIR* folder = ::opendir("/proc/self/fd");
            const int own = folder ? ::dirfd(folder) : -1;
            std::vector<int> fds;
            while (dirent* entry = folder ? ::readdir(folder) : nullptr) {
                if (entry->d_name[0] != '.' && std::stoi(entry->d_name) != own) fds.push_back(std::stoi(entry->d_name));
            }
            if (folder) ::closedir(folder);
            std::sort(fds.begin(), fds.end());
            for (const int fd : fds) open += (open.empty() ? "" : " ") + std::to_string(fd);
            reply.send(open, true);
        } else if (request == "huge-frame") {
            // A frame's head announcing 500 MB, then silence: what a plugin writing to the
            // channel itself could do.
            const unsigned char head[5] = {0x00, 0x65, 0xCD, 0x1D, 1};
            if (::write(comptoir::worker::kChannelFd, head, sizeof head) != sizeof head) return;
            for (;;) ::pause();
        } else if (request == "alloc") {
            // 16 MB at a time, each touched, until the memory limit stops it.
            std::vector<std::unique_ptr<char[]>> held;
            for (;;) {
                held.emplace_back(new char[16 << 20]);
                std::memset(held.back().get(), 1, 16 << 20);
            }
        } else if (request == "spin") {
            volatile unsigned long n = 0;
            for (;;) n = n + 1;
        } else if (request == "sleep") {
            for (;;) ::pause();
        } else if (request == "crash") {
            ::raise(SIGSEGV);
        }
    }, [&idles] { ++idles; }, idle_after);
}
