// SmtpMailer against a real SMTP server (aiosmtpd, started by the test on
// 127.0.0.1), a port where nothing listens, and a server that never answers.
#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include <chrono>
#include <memory>
#include <thread>

#include "delivery/smtp_mailer.h"
#include "test_util.h"

extern char** environ;

namespace isoloir::delivery {
namespace {

using test::TempDir;

// The aiosmtpd server of smtp_server.py, killed when the test ends.
class SmtpServer {
 public:
  explicit SmtpServer(const std::filesystem::path& out, uint16_t port = 0) {
    int fds[2];
    if (::pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::string python = ISOLOIR_TEST_PYTHON;
    std::string script = std::string(ISOLOIR_DELIVERY_TEST_DIR) + "/smtp_server.py";
    std::string dir = out.string();
    std::string port_arg = std::to_string(port);
    char* argv[] = {python.data(), script.data(), dir.data(), port_arg.data(), nullptr};
    if (posix_spawn(&pid_, python.c_str(), &actions, nullptr, argv, environ) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    ::close(fds[1]);
    // Wait (at most 20 s) for the port line: the server is listening then.
    std::string line;
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (pid_ > 0 && line.find('\n') == std::string::npos &&
           std::chrono::steady_clock::now() < deadline) {
      pollfd p{fds[0], POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      char buf[64];
      ssize_t n = ::read(fds[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<size_t>(n));
    }
    ::close(fds[0]);
    port_ = static_cast<uint16_t>(std::atoi(line.c_str()));
  }
  ~SmtpServer() { Stop(); }
  void Stop() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status;
      ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
  }
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;
  uint16_t port() const { return port_; }

 private:
  pid_t pid_ = -1;
  uint16_t port_ = 0;
};

// A socket bound to 127.0.0.1 on a free port; listening or not.
class LocalSocket {
 public:
  explicit LocalSocket(bool listen) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ::bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    if (listen) ::listen(fd_, 8);
  }
  ~LocalSocket() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  uint16_t port() const { return port_; }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

SmtpConfig LocalConfig(uint16_t port,
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
  SmtpConfig c;
  c.host = "127.0.0.1";
  c.port = port;
  c.security = SmtpConfig::Security::kNone;
  c.timeout = timeout;
  c.helo_name = "isoloir.test";
  return c;
}

TEST(SmtpMailer, SendsThreeMessagesOverOneConnection) {
  TempDir dir;
  SmtpServer server(dir.path());
  ASSERT_NE(server.port(), 0) << "could not start " << ISOLOIR_TEST_PYTHON
                              << " smtp_server.py (python3-aiosmtpd installed?)";
  Result<SmtpMailer> mailer = SmtpMailer::Create(LocalConfig(server.port()));
  ASSERT_TRUE(mailer.ok()) << mailer.error().ToString();

  std::vector<Mail> sent;
  const char* names[][2] = {{"Amélie", "Lefèvre"}, {"Zoé", "Ørsted"}, {"Jean", "Dupont"}};
  for (int i = 0; i < 3; ++i) {
    CredentialNotice n = test::SampleNotice("pass-" + std::to_string(i) + "-Xy9!");
    n.voter.prenom = names[i][0];
    n.voter.nom = names[i][1];
    n.voter.courriel = "agent" + std::to_string(i) + "@example.gouv.fr";
    Result<Mail> mail = PasswordMail(n, "elections@example.gouv.fr", "Élections professionnelles");
    ASSERT_TRUE(mail.ok());
    Status s = mailer->Send(*mail);
    ASSERT_TRUE(s.ok()) << s.error().ToString();
    sent.push_back(*mail);
  }
  for (int i = 0; i < 3; ++i) {
    std::filesystem::path file = dir.path() / ("msg-" + std::to_string(i + 1) + ".eml");
    ASSERT_TRUE(std::filesystem::exists(file)) << file;
    test::ParsedMessage msg = test::ParseMessage(test::ReadFile(file));
    EXPECT_EQ(msg.Header("X-Envelope-From"), "elections@example.gouv.fr");
    EXPECT_EQ(msg.Header("X-Envelope-To"), sent[i].to);
    EXPECT_EQ(msg.Header("To"), sent[i].to);
    EXPECT_EQ(test::DecodeHeader(msg.Header("Subject")), sent[i].subject);
    std::string body = test::DecodeQuotedPrintable(msg.raw_body);
    EXPECT_EQ(body, sent[i].text);
    EXPECT_NE(body.find("pass-" + std::to_string(i) + "-Xy9!"), std::string::npos);
    EXPECT_NE(body.find(std::string("Bonjour ") + names[i][0] + " " + names[i][1]),
              std::string::npos);
  }
  EXPECT_EQ(test::ReadFile(dir.path() / "ehlo-count"), "1") << "the connection is reused";
}

TEST(SmtpMailer, ReconnectsWhenTheRelayClosedTheConnection) {
  TempDir first_dir, second_dir;
  auto first = std::make_unique<SmtpServer>(first_dir.path());
  const uint16_t port = first->port();
  ASSERT_NE(port, 0);
  Result<SmtpMailer> mailer = SmtpMailer::Create(LocalConfig(port));
  ASSERT_TRUE(mailer.ok());
  Mail mail{"a@example.org", "", "b@example.org", "Sujet", "corps\n"};
  ASSERT_TRUE(mailer->Send(mail).ok());
  first.reset();  // the relay goes away (the kept connection dies) and comes back
  SmtpServer second(second_dir.path(), port);
  ASSERT_EQ(second.port(), port);
  Status s = mailer->Send(mail);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_TRUE(std::filesystem::exists(second_dir.path() / "msg-1.eml"));
}

TEST(SmtpMailer, RefusedRecipientIsAnErrorAndTheNextMessageGoesThrough) {
  TempDir dir;
  SmtpServer server(dir.path());
  ASSERT_NE(server.port(), 0);
  Result<SmtpMailer> mailer = SmtpMailer::Create(LocalConfig(server.port()));
  ASSERT_TRUE(mailer.ok());
  Status refused =
      mailer->Send(Mail{"a@example.org", "", "reject-me@example.org", "Sujet", "secret-pw\n"});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, "smtp.rejected") << refused.error().ToString();
  EXPECT_NE(refused.error().message.find("550"), std::string::npos);
  EXPECT_NE(refused.error().message.find("reject-me@example.org"), std::string::npos);
  EXPECT_EQ(refused.error().message.find("secret-pw"), std::string::npos);
  Status ok = mailer->Send(Mail{"a@example.org", "", "b@example.org", "Sujet", "corps\n"});
  ASSERT_TRUE(ok.ok()) << ok.error().ToString();
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "msg-1.eml"));
}

TEST(SmtpMailer, ServerDownIsAClearError) {
  LocalSocket closed(false);  // bound, not listening: connections are refused
  Result<SmtpMailer> mailer = SmtpMailer::Create(LocalConfig(closed.port()));
  ASSERT_TRUE(mailer.ok());
  Mail mail{"a@example.org", "", "b@example.org", "Sujet", "mot de passe: hunter2\n"};
  Status s = mailer->Send(mail);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "smtp.unreachable") << s.error().ToString();
  EXPECT_NE(s.error().message.find("127.0.0.1:" + std::to_string(closed.port())),
            std::string::npos);
  EXPECT_NE(s.error().message.find("b@example.org"), std::string::npos);
  EXPECT_EQ(s.error().message.find("hunter2"), std::string::npos);
}

TEST(SmtpMailer, SilentServerTimesOut) {
  LocalSocket silent(true);  // accepts connections (backlog), never says a word
  auto start = std::chrono::steady_clock::now();
  Result<SmtpMailer> mailer =
      SmtpMailer::Create(LocalConfig(silent.port(), std::chrono::milliseconds(1500)));
  ASSERT_TRUE(mailer.ok());
  Status s = mailer->Send(Mail{"a@example.org", "", "b@example.org", "Sujet", "corps\n"});
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "smtp.timeout") << s.error().ToString();
  EXPECT_LT(seconds, 6.0) << "bounded by the configured timeout";
}

TEST(SmtpMailer, StartTlsRequiredButNotOfferedFails) {
  TempDir dir;
  SmtpServer server(dir.path());
  ASSERT_NE(server.port(), 0);
  SmtpConfig c = LocalConfig(server.port());
  c.security = SmtpConfig::Security::kStartTls;
  Result<SmtpMailer> mailer = SmtpMailer::Create(c);
  ASSERT_TRUE(mailer.ok());
  Status s = mailer->Send(Mail{"a@example.org", "", "b@example.org", "Sujet", "corps\n"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "smtp.tls") << s.error().ToString();
  EXPECT_FALSE(std::filesystem::exists(dir.path() / "msg-1.eml")) << "nothing sent in clear";
}

TEST(SmtpMailer, InvalidMailIsRefusedBeforeConnecting) {
  LocalSocket closed(false);
  Result<SmtpMailer> mailer = SmtpMailer::Create(LocalConfig(closed.port()));
  ASSERT_TRUE(mailer.ok());
  Status s =
      mailer->Send(Mail{"a@example.org", "", "b@example.org\r\nRCPT TO:<x@y.z>", "S", "c\n"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "mail.invalid_address");
}

TEST(SmtpMailer, ConfigErrors) {
  SmtpConfig c = LocalConfig(25);
  c.host.clear();
  EXPECT_FALSE(SmtpMailer::Create(c).ok());
  c = LocalConfig(0);
  EXPECT_FALSE(SmtpMailer::Create(c).ok());
  c = LocalConfig(25);
  c.password = "pw-secret";
  Result<SmtpMailer> m = SmtpMailer::Create(c);
  ASSERT_FALSE(m.ok()) << "a password without a user";
  EXPECT_EQ(m.error().message.find("pw-secret"), std::string::npos);
  c = LocalConfig(25);
  c.host = "smtp.example.gouv.fr";
  c.user = "isoloir";
  c.password = "pw-secret";
  Result<SmtpMailer> clear = SmtpMailer::Create(c);
  ASSERT_FALSE(clear.ok()) << "AUTH in clear to a remote relay";
  EXPECT_EQ(clear.error().code, "smtp.config");
  EXPECT_EQ(clear.error().message.find("pw-secret"), std::string::npos);
  c.security = SmtpConfig::Security::kStartTls;
  EXPECT_TRUE(SmtpMailer::Create(c).ok());
}

}  // namespace
}  // namespace isoloir::delivery
