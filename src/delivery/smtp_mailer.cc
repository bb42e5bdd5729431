#include "delivery/smtp_mailer.h"

#include <curl/curl.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <mutex>

#include "delivery/mime.h"
#include "delivery/secure_buffer.h"

namespace isoloir::delivery {
namespace {

struct Upload {
  const std::string* data = nullptr;
  size_t offset = 0;
};

size_t ReadChunk(char* buffer, size_t size, size_t nitems, void* userdata) {
  auto* up = static_cast<Upload*>(userdata);
  size_t room = size * nitems;
  size_t left = up->data->size() - up->offset;
  size_t n = std::min(room, left);
  std::memcpy(buffer, up->data->data() + up->offset, n);
  up->offset += n;
  return n;
}

std::string Url(const SmtpConfig& c) {
  std::string host = c.host;
  if (host.find(':') != std::string::npos && host.front() != '[') host = "[" + host + "]";
  std::string url = (c.security == SmtpConfig::Security::kTls ? "smtps://" : "smtp://") + host +
                    ":" + std::to_string(c.port);
  if (!c.helo_name.empty()) url += "/" + c.helo_name;
  return url;
}

Error CurlError(CURLcode code, long reply, const char* errbuf, const SmtpConfig& c,
                const Mail& mail) {
  std::string where = "SMTP relay " + c.host + ":" + std::to_string(c.port);
  std::string detail = errbuf[0] ? errbuf : curl_easy_strerror(code);
  std::string who = " (message to " + mail.to + ")";
  switch (code) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_CONNECT:
      return MakeError("smtp.unreachable", "cannot connect to " + where + ": " + detail + who);
    case CURLE_OPERATION_TIMEDOUT:
      return MakeError("smtp.timeout", where + " did not answer within " +
                                           std::to_string(c.timeout.count()) + " ms: " + detail +
                                           who);
    case CURLE_USE_SSL_FAILED:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
      return MakeError("smtp.tls", "TLS with " + where + " failed: " + detail + who);
    case CURLE_LOGIN_DENIED:
      return MakeError("smtp.auth", where + " refused the login of user '" + c.user + "'" + who);
    default:
      break;
  }
  if (reply >= 400) {
    return MakeError("smtp.rejected",
                     where + " answered " + std::to_string(reply) + ": " + detail + who);
  }
  return MakeError("smtp.failed", "sending through " + where + " failed: " + detail + who);
}

}  // namespace

struct SmtpMailer::Impl {
  SmtpConfig config;
  CURL* curl = nullptr;
  char errbuf[CURL_ERROR_SIZE] = {};

  ~Impl() {
    if (curl) curl_easy_cleanup(curl);
    Wipe(config.password);
  }
};

SmtpMailer::SmtpMailer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SmtpMailer::SmtpMailer(SmtpMailer&&) noexcept = default;
SmtpMailer& SmtpMailer::operator=(SmtpMailer&&) noexcept = default;
SmtpMailer::~SmtpMailer() = default;

Result<SmtpMailer> SmtpMailer::Create(SmtpConfig config) {
  if (config.host.empty()) return MakeError("smtp.config", "smtp host: is empty");
  if (config.port == 0) return MakeError("smtp.config", "smtp port: must be 1 to 65535");
  if (config.timeout.count() <= 0)
    return MakeError("smtp.config", "smtp timeout: must be positive");
  if (config.password.size() && config.user.empty()) {
    return MakeError("smtp.config", "smtp user: is empty while a password is given");
  }
  const bool loopback =
      config.host == "127.0.0.1" || config.host == "::1" || config.host == "localhost";
  if (!config.user.empty() && config.security == SmtpConfig::Security::kNone && !loopback) {
    return MakeError("smtp.config",
                     "smtp security: AUTH without TLS would send the relay password in clear to " +
                         config.host + " (use starttls or tls)");
  }
  for (const std::string* s : {&config.host, &config.helo_name}) {
    for (unsigned char ch : *s) {
      if (ch <= 0x20 || ch >= 0x7f || ch == '/' || ch == '@') {
        return MakeError("smtp.config", "smtp host/helo name: invalid character");
      }
    }
  }
  static std::once_flag once;
  static CURLcode global = CURLE_OK;
  std::call_once(once, [] { global = curl_global_init(CURL_GLOBAL_DEFAULT); });
  if (global != CURLE_OK) return MakeError("smtp.failed", "libcurl initialisation failed");

  auto impl = std::make_unique<Impl>();
  impl->config = std::move(config);
  Wipe(config.password);  // NOLINT(bugprone-use-after-move): the inline buffer keeps a copy
  impl->curl = curl_easy_init();
  if (!impl->curl) return MakeError("smtp.failed", "libcurl could not create a handle");
  const SmtpConfig& c = impl->config;
  CURL* h = impl->curl;
  const std::string url = Url(c);
  long ms = static_cast<long>(c.timeout.count());
  bool ok =
      curl_easy_setopt(h, CURLOPT_URL, url.c_str()) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps") == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_ERRORBUFFER, impl->errbuf) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, ms) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, ms) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_SERVER_RESPONSE_TIMEOUT, std::max(1L, ms / 1000)) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_UPLOAD, 1L) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_READFUNCTION, &ReadChunk) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_USE_SSL,
                       static_cast<long>(c.security == SmtpConfig::Security::kNone
                                             ? CURLUSESSL_NONE
                                             : CURLUSESSL_ALL)) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, c.verify_tls ? 1L : 0L) == CURLE_OK &&
      curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, c.verify_tls ? 2L : 0L) == CURLE_OK;
  if (ok && !c.ca_file.empty())
    ok = curl_easy_setopt(h, CURLOPT_CAINFO, c.ca_file.c_str()) == CURLE_OK;
  if (ok && !c.user.empty()) {
    ok = curl_easy_setopt(h, CURLOPT_USERNAME, c.user.c_str()) == CURLE_OK &&
         curl_easy_setopt(h, CURLOPT_PASSWORD, c.password.c_str()) == CURLE_OK;
  }
  if (!ok)
    return MakeError("smtp.config", "libcurl refused an SMTP option (is SMTP support built in?)");
  return SmtpMailer(std::move(impl));
}

Status SmtpMailer::Send(const Mail& mail) {
  if (!impl_) return MakeError("smtp.failed", "this SmtpMailer was moved from");
  MessageMeta meta{std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count(),
                   NewMessageId(mail.from)};
  Result<std::string> message = BuildMessage(mail, meta, "\r\n");
  if (!message) return message.error();
  WipeOnExit wipe(message.value());

  CURL* h = impl_->curl;
  const std::string from = "<" + mail.from + ">";
  const std::string to = "<" + mail.to + ">";
  curl_slist* rcpt = curl_slist_append(nullptr, to.c_str());
  if (!rcpt) return MakeError("smtp.failed", "out of memory");
  Upload upload{&message.value(), 0};
  impl_->errbuf[0] = '\0';
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
  curl_easy_setopt(h, CURLOPT_READDATA, &upload);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message->size()));
  CURLcode rc = curl_easy_perform(h);
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, nullptr);
  curl_easy_setopt(h, CURLOPT_READDATA, nullptr);
  curl_slist_free_all(rcpt);
  if (rc != CURLE_OK) return CurlError(rc, reply, impl_->errbuf, impl_->config, mail);
  return Status::Ok();
}

}  // namespace isoloir::delivery
