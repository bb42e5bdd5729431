#include "delivery/maildir_mailer.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <random>

#include "delivery/mime.h"
#include "delivery/secure_buffer.h"

namespace isoloir::delivery {
namespace {

Error IoError(std::string_view what, const std::filesystem::path& path, int err) {
  return MakeError("maildir.io",
                   std::string(what) + " " + path.string() + ": " + std::strerror(err));
}

Status MakeFolder(const std::filesystem::path& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    return IoError("cannot create folder", path, errno);
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return IoError("cannot read", path, errno);
  if (!S_ISDIR(st.st_mode)) {
    return MakeError("maildir.io", path.string() + " exists and is not a folder");
  }
  return Status::Ok();
}

Status WriteAll(int fd, const std::string& data, const std::filesystem::path& path) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return IoError("cannot write", path, errno);
    }
    done += static_cast<size_t>(n);
  }
  return Status::Ok();
}

Status SyncFolder(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return IoError("cannot open", path, errno);
  int rc = ::fsync(fd);
  int err = errno;
  ::close(fd);
  if (rc != 0) return IoError("cannot sync", path, err);
  return Status::Ok();
}

}  // namespace

Result<MaildirMailer> MaildirMailer::Open(const std::filesystem::path& root) {
  if (root.empty()) return MakeError("maildir.io", "the Maildir path is empty");
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec) {
    return MakeError("maildir.io", "cannot create folder " + root.string() + ": " + ec.message());
  }
  for (const char* sub : {"tmp", "new", "cur"}) {
    if (Status s = MakeFolder(root / sub); !s) return s.error();
  }
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') std::strcpy(host, "localhost");
  std::string escaped;
  for (const char* p = host; *p; ++p) {
    if (*p == '/') {
      escaped += "\\057";
    } else if (*p == ':') {
      escaped += "\\072";
    } else {
      escaped += *p;
    }
  }
  return MaildirMailer(root, escaped);
}

std::string MaildirMailer::UniqueName() {
  // time.M<usec>P<pid>Q<counter>R<random>.host, as in the Maildir description.
  static std::atomic<uint64_t> counter{0};
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  auto now = std::chrono::system_clock::now().time_since_epoch();
  auto usec = std::chrono::duration_cast<std::chrono::microseconds>(now).count();
  char buf[160];
  std::snprintf(buf, sizeof buf, "%lld.M%06lldP%dQ%lluR%016llx.",
                static_cast<long long>(usec / 1000000), static_cast<long long>(usec % 1000000),
                static_cast<int>(::getpid()), static_cast<unsigned long long>(counter.fetch_add(1)),
                static_cast<unsigned long long>(rng()));
  return buf + host_;
}

Status MaildirMailer::Send(const Mail& mail) {
  MessageMeta meta{std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count(),
                   NewMessageId(mail.from)};
  Result<std::string> message = BuildMessage(mail, meta, "\n");
  if (!message) return message.error();
  WipeOnExit wipe(message.value());

  const std::string name = UniqueName();
  const std::filesystem::path tmp = root_ / "tmp" / name;
  const std::filesystem::path final_path = root_ / "new" / name;
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return IoError("cannot create", tmp, errno);
  Status written = WriteAll(fd, *message, tmp);
  if (written && ::fsync(fd) != 0) written = IoError("cannot sync", tmp, errno);
  if (::close(fd) != 0 && written) written = IoError("cannot close", tmp, errno);
  if (!written) {
    ::unlink(tmp.c_str());
    return written;
  }
  if (::link(tmp.c_str(), final_path.c_str()) != 0) {
    int err = errno;
    ::unlink(tmp.c_str());
    return IoError("cannot deliver into", final_path, err);
  }
  ::unlink(tmp.c_str());
  return SyncFolder(root_ / "new");
}

}  // namespace isoloir::delivery
