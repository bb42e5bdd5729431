// isoloir_load: a load generator for the voter portal's JSON API (issue 4 §5).
//
// Setup (untimed): reads the voters' secrets (identifiants.csv, as written by
// scripts/demo_credentials.py), GETs /api/v1/election, and prepares one real
// encrypted standard ballot per voter (LoginToken from the security key,
// CredentialSecret of the scrutin, EncryptBallot), on every core.
//
// Login-only phase (optional): CONCURRENCY clients log voters in, and the
// server's CPU time (/proc/PID/stat, utime + stime) is read before and after,
// so that CPU per login = delta / logins.
//
// Timed phase: CONCURRENCY clients (threads, one keep-alive connection each)
// take the next voter, log in (POST /api/v1/connexion) and cast its ballot
// (POST /api/v1/scrutins/CODE/bulletin). Bounded by --count voters and
// --seconds. Every answer is checked (status, CSRF token, session cookie,
// tracker equal to the one computed locally); failures are counted by kind.
// With --rate R the arrivals are paced (open loop: voter i starts at i/R s,
// and latency is counted from that scheduled start too, so a slow server
// cannot hide its queue).
//
// Only 127.0.0.1 / localhost / [::1] are accepted as targets.
#include <curl/curl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/bytes.h"
#include "crypto/ballot.h"
#include "crypto/codec.h"
#include "crypto/credential.h"
#include "crypto/elgamal.h"
#include "crypto/random.h"

namespace {

using Clock = std::chrono::steady_clock;
using Json = nlohmann::json;
namespace codec = isoloir::crypto::codec;

[[noreturn]] void Die(const std::string& why) {
  std::cerr << "isoloir_load: " << why << "\n";
  std::exit(2);
}

struct Options {
  std::string url = "http://127.0.0.1:8080";
  std::string voters_csv;
  std::string scrutin;  // default: the first scrutin of the election
  size_t concurrency = 8;
  size_t count = 0;  // 0: every prepared voter
  double seconds = 60;
  double rate = 0;  // 0: closed loop (as fast as the clients go)
  size_t login_only = 0;
  std::vector<int> server_pids;  // CPU of these processes and their children
  int prepare_threads = 0;
  bool json = false;
  std::string json_out;
};

void Usage() {
  std::cerr <<
      R"(usage: isoloir_load --voters FILE.csv [options]
  --url URL             portal base URL (default http://127.0.0.1:8080; loopback only)
  --voters FILE         identifiants.csv (matricule;nom;prenom;naissance;cle;mot_de_passe;reassort;scrutins)
  --scrutin CODE        scrutin to vote in (default: the election's first)
  --concurrency C       concurrent clients, one connection each (default 8)
  --count N             at most N voters in the timed phase (default: all)
  --seconds S           stop starting new voters after S seconds (default 60)
  --rate R              open loop: start voter i at i/R seconds (default: closed loop)
  --login-only N        first, N logins alone, to measure the server's CPU per login
  --server-pid PID      process whose CPU (with its children) is measured; repeatable
  --prepare-threads T   threads that encrypt the ballots (default: every core)
  --json                print the summary as JSON instead of text
  --json-out FILE       also write the JSON summary to FILE
)";
}

Options ParseArgs(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string {
      if (i + 1 >= argc) Die(a + " needs a value");
      return argv[++i];
    };
    auto number = [&](const std::string& v) -> double {
      char* end = nullptr;
      double d = std::strtod(v.c_str(), &end);
      if (end == v.c_str() || *end != '\0' || d < 0) Die(a + ": not a non-negative number: " + v);
      return d;
    };
    if (a == "--url") {
      o.url = next();
    } else if (a == "--voters") {
      o.voters_csv = next();
    } else if (a == "--scrutin") {
      o.scrutin = next();
    } else if (a == "--concurrency") {
      o.concurrency = static_cast<size_t>(number(next()));
    } else if (a == "--count") {
      o.count = static_cast<size_t>(number(next()));
    } else if (a == "--seconds") {
      o.seconds = number(next());
    } else if (a == "--rate") {
      o.rate = number(next());
    } else if (a == "--login-only") {
      o.login_only = static_cast<size_t>(number(next()));
    } else if (a == "--server-pid") {
      o.server_pids.push_back(static_cast<int>(number(next())));
    } else if (a == "--prepare-threads") {
      o.prepare_threads = static_cast<int>(number(next()));
    } else if (a == "--json") {
      o.json = true;
    } else if (a == "--json-out") {
      o.json_out = next();
    } else if (a == "-h" || a == "--help") {
      Usage();
      std::exit(0);
    } else {
      Usage();
      Die("unknown argument " + a);
    }
  }
  if (o.voters_csv.empty()) {
    Usage();
    Die("--voters is required");
  }
  if (o.concurrency < 1 || o.concurrency > 512) Die("--concurrency is 1..512");
  if (o.seconds <= 0 || o.seconds > 3600) Die("--seconds is in ]0, 3600]");
  // Traffic stays on this machine.
  static const char* kAllowed[] = {"http://127.0.0.1:", "http://localhost:", "http://[::1]:"};
  bool ok = false;
  for (const char* p : kAllowed) ok = ok || o.url.rfind(p, 0) == 0;
  if (!ok) Die("--url must be http://127.0.0.1:PORT, http://localhost:PORT or http://[::1]:PORT");
  while (!o.url.empty() && o.url.back() == '/') o.url.pop_back();
  return o;
}

// ------------------------------------------------------------------ voters

struct Voter {
  std::string matricule;
  std::string naissance;
  std::string key;  // canonical security key
  std::string password;
  std::vector<std::string> scrutins;
  // Prepared before the timed phase:
  std::string login_body;
  std::string ballot_body;
  std::string tracker;
};

std::vector<std::string> SplitCsvLine(const std::string& line, char sep) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char ch = line[i];
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back() += '"';
        ++i;
      } else if (ch == '"') {
        quoted = false;
      } else {
        out.back() += ch;
      }
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == sep) {
      out.emplace_back();
    } else if (ch != '\r') {
      out.back() += ch;
    }
  }
  return out;
}

std::vector<Voter> ReadVoters(const std::string& file) {
  std::ifstream in(file);
  if (!in) Die("cannot read " + file);
  std::string line;
  if (!std::getline(in, line)) Die(file + ": empty");
  if (line.rfind("\xEF\xBB\xBF", 0) == 0) line = line.substr(3);
  auto header = SplitCsvLine(line, ';');
  std::map<std::string, size_t> col;
  for (size_t i = 0; i < header.size(); ++i) col[header[i]] = i;
  for (const char* need : {"matricule", "naissance", "cle", "mot_de_passe", "scrutins"}) {
    if (!col.count(need)) Die(file + ": no column " + need);
  }
  std::vector<Voter> voters;
  size_t n = 1;
  while (std::getline(in, line)) {
    ++n;
    if (line.empty() || line == "\r") continue;
    auto f = SplitCsvLine(line, ';');
    if (f.size() < header.size()) Die(file + ":" + std::to_string(n) + ": too few fields");
    Voter v;
    v.matricule = f[col["matricule"]];
    v.naissance = f[col["naissance"]];
    auto key = isoloir::crypto::NormalizeSecurityKey(f[col["cle"]]);
    if (!key) Die(file + ":" + std::to_string(n) + ": cle: " + key.error().message);
    v.key = *key;
    v.password = f[col["mot_de_passe"]];
    std::stringstream ss(f[col["scrutins"]]);
    for (std::string s; std::getline(ss, s, '|');) v.scrutins.push_back(s);
    voters.push_back(std::move(v));
  }
  return voters;
}

// ------------------------------------------------------------------ HTTP

struct HttpResult {
  CURLcode curl = CURLE_OK;
  long status = 0;
  std::string body;
  std::string session;  // isoloir_session cookie set by the answer, if any
  double seconds = 0;
};

size_t OnBody(char* data, size_t size, size_t n, void* user) {
  static_cast<std::string*>(user)->append(data, size * n);
  return size * n;
}

size_t OnHeader(char* data, size_t size, size_t n, void* user) {
  std::string_view h(data, size * n);
  constexpr std::string_view kSet = "set-cookie:";
  if (h.size() > kSet.size()) {
    std::string lower(h.substr(0, kSet.size()));
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (lower == kSet) {
      std::string_view v = h.substr(kSet.size());
      while (!v.empty() && v.front() == ' ') v.remove_prefix(1);
      constexpr std::string_view kName = "isoloir_session=";
      if (v.substr(0, kName.size()) == kName) {
        v.remove_prefix(kName.size());
        size_t end = v.find_first_of(";\r\n");
        *static_cast<std::string*>(user) = std::string(v.substr(0, end));
      }
    }
  }
  return size * n;
}

// One client: one easy handle, so one keep-alive connection.
class Client {
 public:
  Client() {
    h_ = curl_easy_init();
    if (h_ == nullptr) Die("curl_easy_init failed");
    curl_easy_setopt(h_, CURLOPT_WRITEFUNCTION, OnBody);
    curl_easy_setopt(h_, CURLOPT_HEADERFUNCTION, OnHeader);
    curl_easy_setopt(h_, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(h_, CURLOPT_CONNECTTIMEOUT, 5L);
    curl_easy_setopt(h_, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h_, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h_, CURLOPT_PROTOCOLS_STR, "http");
  }
  ~Client() { curl_easy_cleanup(h_); }
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  HttpResult Get(const std::string& url) { return Do(url, nullptr, {}, {}); }

  HttpResult PostJson(const std::string& url, const std::string& body, const std::string& cookie,
                      const std::string& csrf) {
    return Do(url, &body, cookie, csrf);
  }

 private:
  HttpResult Do(const std::string& url, const std::string* body, const std::string& cookie,
                const std::string& csrf) {
    HttpResult r;
    curl_slist* headers = nullptr;
    headers = curl_slist_append(headers, "Expect:");  // no 100-continue round trip
    if (body != nullptr) headers = curl_slist_append(headers, "Content-Type: application/json");
    std::string csrf_header = "X-CSRF-Token: " + csrf;
    if (!csrf.empty()) headers = curl_slist_append(headers, csrf_header.c_str());
    curl_easy_setopt(h_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(h_, CURLOPT_HTTPHEADER, headers);
    if (body != nullptr) {
      curl_easy_setopt(h_, CURLOPT_POST, 1L);
      curl_easy_setopt(h_, CURLOPT_POSTFIELDS, body->data());
      curl_easy_setopt(h_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body->size()));
    } else {
      curl_easy_setopt(h_, CURLOPT_HTTPGET, 1L);
    }
    std::string cookie_header = cookie.empty() ? "" : "isoloir_session=" + cookie;
    curl_easy_setopt(h_, CURLOPT_COOKIE, cookie.empty() ? nullptr : cookie_header.c_str());
    curl_easy_setopt(h_, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(h_, CURLOPT_HEADERDATA, &r.session);
    const auto t0 = Clock::now();
    r.curl = curl_easy_perform(h_);
    r.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    curl_easy_getinfo(h_, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(headers);
    return r;
  }

  CURL* h_;
};

// ------------------------------------------------------------------ setup

struct ElectionInfo {
  std::string id;
  std::string scrutin;
  isoloir::crypto::BallotContext context;
  std::optional<isoloir::crypto::ElectionKey> key;
};

ElectionInfo FetchElection(const Options& o) {
  Client c;
  HttpResult r = c.Get(o.url + "/api/v1/election");
  if (r.curl != CURLE_OK) Die("GET /api/v1/election: " + std::string(curl_easy_strerror(r.curl)));
  if (r.status != 200) Die("GET /api/v1/election: HTTP " + std::to_string(r.status));
  Json j = Json::parse(r.body, nullptr, false);
  if (!j.is_object()) Die("GET /api/v1/election: not JSON");
  if (j.value("phase", "") != "open") {
    std::cerr << "isoloir_load: warning: the election's phase is '" << j.value("phase", "")
              << "', not 'open'\n";
  }
  ElectionInfo e;
  e.id = j.at("election_id").get<std::string>();
  const Json* chosen = nullptr;
  for (const auto& s : j.at("scrutins")) {
    if (o.scrutin.empty() || s.at("code") == o.scrutin) {
      chosen = &s;
      break;
    }
  }
  if (chosen == nullptr) Die("the election has no scrutin " + o.scrutin);
  const Json& p = chosen->at("params");
  e.scrutin = p.at("scrutin").get<std::string>();
  auto fp = isoloir::HexDecode(p.at("fingerprint").get<std::string>());
  if (!fp || fp->size() != 32) Die("bad fingerprint");
  std::copy(fp->begin(), fp->end(), e.context.election.begin());
  e.context.scrutin = e.scrutin;
  e.context.min = p.at("min").get<uint64_t>();
  e.context.max = p.at("max").get<uint64_t>();
  e.context.choices = p.at("choices").get<size_t>();
  auto point = codec::DecodePoint(Json(p.at("public_key").get<std::string>()));
  if (!point) Die("the election has no usable public key (run the key ceremony)");
  e.key.emplace(*point);
  return e;
}

// Voter i chooses choice i mod choices: every list and the blank vote get votes.
void Prepare(std::vector<Voter>& voters, const ElectionInfo& e, int threads) {
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::string failure;
  std::mutex mu;
  auto work = [&]() {
    isoloir::crypto::SystemRng rng;
    for (size_t i; (i = next.fetch_add(1)) < voters.size();) {
      Voter& v = voters[i];
      const auto token = isoloir::crypto::LoginToken(e.id, v.key);
      v.login_body = Json{
          {"matricule", v.matricule},
          {"naissance", v.naissance},
          {"jeton", isoloir::HexEncode(token)},
          {"mot_de_passe",
           v.password}}.dump();
      std::vector<uint64_t> selection(e.context.choices, 0);
      selection[i % e.context.choices] = 1;
      const auto sk = isoloir::crypto::CredentialSecret(e.id, e.scrutin, v.key);
      auto b = isoloir::crypto::EncryptBallot(e.context, *e.key, selection, sk, rng);
      if (!b) {
        std::lock_guard<std::mutex> l(mu);
        failure = b.error().ToString();
        failed = true;
        return;
      }
      v.ballot_body = codec::Encode(b->ballot).dump();
      v.tracker =
          isoloir::Base64UrlEncode(isoloir::crypto::BallotTracker(e.context, *e.key, b->ballot));
    }
  };
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) pool.emplace_back(work);
  for (auto& t : pool) t.join();
  if (failed) Die("EncryptBallot: " + failure);
}

// ------------------------------------------------------------------ CPU

long TicksPerSecond() { return sysconf(_SC_CLK_TCK); }

// utime + stime (+ cutime + cstime) of a process, in ticks, and its parent.
struct ProcStat {
  int pid = 0;
  int ppid = 0;
  uint64_t ticks = 0;
};

std::optional<ProcStat> ReadStat(int pid) {
  std::ifstream f("/proc/" + std::to_string(pid) + "/stat");
  std::string s;
  if (!std::getline(f, s)) return std::nullopt;
  size_t close = s.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  std::istringstream in(s.substr(close + 2));
  std::vector<std::string> fields;
  for (std::string x; in >> x;) fields.push_back(x);
  // fields[0] is field 3 (state): ppid is field 4, utime..cstime fields 14..17.
  if (fields.size() < 15) return std::nullopt;
  ProcStat p;
  p.pid = pid;
  p.ppid = std::stoi(fields[1]);
  for (int k = 11; k <= 14; ++k) p.ticks += std::stoull(fields[k]);
  return p;
}

// CPU ticks of the given processes and all their descendants (PostgreSQL's
// backends are children of the postmaster).
uint64_t TreeTicks(const std::vector<int>& roots) {
  if (roots.empty()) return 0;
  std::vector<ProcStat> all;
  for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
    const std::string name = entry.path().filename().string();
    if (name.empty() || !std::isdigit(static_cast<unsigned char>(name[0]))) continue;
    if (auto p = ReadStat(std::stoi(name))) all.push_back(*p);
  }
  std::vector<int> in(roots.begin(), roots.end());
  uint64_t ticks = 0;
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& p : all) {
      if (std::find(in.begin(), in.end(), p.pid) != in.end()) continue;
      if (std::find(in.begin(), in.end(), p.ppid) != in.end()) {
        in.push_back(p.pid);
        grew = true;
      }
    }
  }
  for (const auto& p : all) {
    if (std::find(in.begin(), in.end(), p.pid) != in.end()) ticks += p.ticks;
  }
  return ticks;
}

// Per-root CPU (each root with its descendants), in seconds.
std::vector<double> CpuSeconds(const std::vector<int>& pids) {
  std::vector<double> out;
  for (int pid : pids) {
    out.push_back(static_cast<double>(TreeTicks({pid})) / static_cast<double>(TicksPerSecond()));
  }
  return out;
}

// Busy CPU time of the whole machine (every core), from /proc/stat: what the
// server, the database and this client used, plus anything else running.
double MachineBusySeconds() {
  std::ifstream f("/proc/stat");
  std::string cpu;
  uint64_t user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  f >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  return static_cast<double>(user + nice + system + irq + softirq + steal) /
         static_cast<double>(TicksPerSecond());
}

std::string LoadAverage() {
  std::ifstream f("/proc/loadavg");
  std::string a, b, c;
  f >> a >> b >> c;
  return a + " " + b + " " + c;
}

double SelfCpuSeconds() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// ------------------------------------------------------------------ phases

struct Sample {
  double login = -1;  // seconds; -1 when not done
  double cast = -1;
  double voter = -1;    // scheduled start (or start) to receipt
  double done_at = -1;  // seconds since the phase started, when the receipt came
};

struct Errors {
  std::mutex mu;
  std::map<std::string, size_t> by_kind;
  void Add(const std::string& kind) {
    std::lock_guard<std::mutex> l(mu);
    ++by_kind[kind];
  }
  size_t Total() {
    size_t n = 0;
    for (auto& [k, v] : by_kind) n += v;
    return n;
  }
};

std::string Kind(const std::string& what, const HttpResult& r) {
  if (r.curl != CURLE_OK) return what + ": " + curl_easy_strerror(r.curl);
  std::string code;
  Json j = Json::parse(r.body, nullptr, false);
  if (j.is_object() && j.contains("error") && j["error"].is_object()) {
    code = " " + j["error"].value("code", "");
  }
  return what + ": HTTP " + std::to_string(r.status) + code;
}

// Logs in; returns the session cookie and CSRF token, or records the error.
bool Login(Client& c, const Options& o, const Voter& v, Errors& errors, std::string& cookie,
           std::string& csrf, double& seconds) {
  HttpResult r = c.PostJson(o.url + "/api/v1/connexion", v.login_body, "", "");
  seconds = r.seconds;
  if (r.curl != CURLE_OK || r.status != 200) {
    errors.Add(Kind("login", r));
    return false;
  }
  Json j = Json::parse(r.body, nullptr, false);
  if (!j.is_object() || !j.contains("csrf") || !j["csrf"].is_string() || r.session.empty()) {
    errors.Add("login: answer without csrf or session cookie");
    return false;
  }
  cookie = r.session;
  csrf = j["csrf"].get<std::string>();
  return true;
}

struct PhaseResult {
  std::vector<Sample> samples;
  double wall = 0;
  size_t started = 0;
  size_t logins_ok = 0;
  size_t casts_ok = 0;
  std::map<std::string, size_t> errors;
  std::vector<double> server_cpu;  // seconds, per --server-pid
  double client_cpu = 0;
  double machine_cpu = 0;  // every process on the machine, seconds
  std::string loadavg_before, loadavg_after;
};

PhaseResult RunPhase(const Options& o, std::vector<Voter>& voters, const std::string& scrutin,
                     size_t n, bool cast) {
  PhaseResult res;
  res.samples.assign(n, Sample{});
  Errors errors;
  std::atomic<size_t> next{0};
  std::atomic<size_t> started{0}, logins_ok{0}, casts_ok{0};
  const std::string cast_url = o.url + "/api/v1/scrutins/" + scrutin + "/bulletin";
  const auto cpu0 = CpuSeconds(o.server_pids);
  const double self0 = SelfCpuSeconds();
  const double machine0 = MachineBusySeconds();
  res.loadavg_before = LoadAverage();
  const auto t0 = Clock::now();
  const auto deadline =
      t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(o.seconds));
  auto since = [&](Clock::time_point t) { return std::chrono::duration<double>(t - t0).count(); };
  auto work = [&]() {
    Client c;
    for (;;) {
      const size_t i = next.fetch_add(1);
      if (i >= n) return;
      Clock::time_point start = Clock::now();
      if (cast && o.rate > 0) {
        start = t0 + std::chrono::duration_cast<Clock::duration>(
                         std::chrono::duration<double>(static_cast<double>(i) / o.rate));
        if (start >= deadline) return;
        std::this_thread::sleep_until(start);
      }
      if (Clock::now() >= deadline) return;
      ++started;
      Voter& v = voters[i];
      Sample& s = res.samples[i];
      std::string cookie, csrf;
      double seconds = 0;
      const bool ok = Login(c, o, v, errors, cookie, csrf, seconds);
      s.login = seconds;
      if (!ok) continue;
      ++logins_ok;
      if (!cast) continue;
      HttpResult r = c.PostJson(cast_url, v.ballot_body, cookie, csrf);
      s.cast = r.seconds;
      if (r.curl != CURLE_OK || r.status != 201) {
        errors.Add(Kind("cast", r));
        continue;
      }
      Json j = Json::parse(r.body, nullptr, false);
      if (!j.is_object() || j.value("tracker", "") != v.tracker) {
        errors.Add("cast: receipt without the ballot's tracker");
        continue;
      }
      const auto end = Clock::now();
      s.done_at = since(end);
      s.voter = std::chrono::duration<double>(end - start).count();
      ++casts_ok;
    }
  };
  std::vector<std::thread> pool;
  for (size_t t = 0; t < o.concurrency; ++t) pool.emplace_back(work);
  for (auto& t : pool) t.join();
  res.wall = since(Clock::now());
  const auto cpu1 = CpuSeconds(o.server_pids);
  for (size_t k = 0; k < cpu0.size(); ++k) res.server_cpu.push_back(cpu1[k] - cpu0[k]);
  res.client_cpu = SelfCpuSeconds() - self0;
  res.machine_cpu = MachineBusySeconds() - machine0;
  res.loadavg_after = LoadAverage();
  res.started = started;
  res.logins_ok = logins_ok;
  res.casts_ok = casts_ok;
  res.errors = errors.by_kind;
  return res;
}

// ------------------------------------------------------------------ summary

Json Percentiles(std::vector<double> v) {
  v.erase(std::remove_if(v.begin(), v.end(), [](double x) { return x < 0; }), v.end());
  if (v.empty()) return Json{{"n", 0}};
  std::sort(v.begin(), v.end());
  auto at = [&](double q) {
    // Nearest rank.
    size_t k = static_cast<size_t>(std::ceil(q * static_cast<double>(v.size())));
    return v[std::min(v.size() - 1, k == 0 ? 0 : k - 1)] * 1000.0;
  };
  double sum = 0;
  for (double x : v) sum += x;
  return Json{{"n", v.size()},      {"mean_ms", sum / static_cast<double>(v.size()) * 1000.0},
              {"p50_ms", at(0.50)}, {"p95_ms", at(0.95)},
              {"p99_ms", at(0.99)}, {"max_ms", v.back() * 1000.0}};
}

template <typename F>
std::vector<double> Column(const std::vector<Sample>& s, F f) {
  std::vector<double> out;
  out.reserve(s.size());
  for (const auto& x : s) out.push_back(f(x));
  return out;
}

// Ballots per second between the 10th and the 90th percentile of the
// receipts' times: the steady state, without the ramp-up and the tail.
Json Throughput(const std::vector<Sample>& samples, double wall) {
  std::vector<double> done;
  for (const auto& s : samples) {
    if (s.done_at >= 0) done.push_back(s.done_at);
  }
  std::sort(done.begin(), done.end());
  Json j{{"ballots", done.size()},
         {"overall_per_s", wall > 0 ? static_cast<double>(done.size()) / wall : 0.0}};
  if (done.size() >= 20) {
    const size_t a = done.size() / 10, b = done.size() * 9 / 10;
    const double span = done[b] - done[a];
    j["steady_per_s"] = span > 0 ? static_cast<double>(b - a) / span : 0.0;
    j["steady_window_s"] = Json::array({done[a], done[b]});
  }
  return j;
}

Json Summary(const Options& o, const ElectionInfo& e, size_t voters, double prepare_s,
             const std::optional<PhaseResult>& login_phase, const PhaseResult& p) {
  Json j;
  j["config"] = {{"url", o.url},
                 {"scrutin", e.scrutin},
                 {"choices", e.context.choices},
                 {"concurrency", o.concurrency},
                 {"voters_prepared", voters},
                 {"seconds_limit", o.seconds},
                 {"rate", o.rate > 0 ? Json(o.rate) : Json("closed loop")},
                 {"server_pids", o.server_pids}};
  j["prepare_seconds"] = prepare_s;
  if (login_phase) {
    const auto& l = *login_phase;
    Json lj{{"logins", l.logins_ok},
            {"wall_s", l.wall},
            {"per_s", l.wall > 0 ? static_cast<double>(l.logins_ok) / l.wall : 0.0},
            {"latency", Percentiles(Column(l.samples, [](const Sample& s) { return s.login; }))},
            {"errors", l.errors},
            {"client_cpu_ms_per_login",
             l.logins_ok ? l.client_cpu * 1000.0 / static_cast<double>(l.logins_ok) : 0.0}};
    Json cpu = Json::array();
    for (double c : l.server_cpu) {
      cpu.push_back(l.logins_ok ? c * 1000.0 / static_cast<double>(l.logins_ok) : 0.0);
    }
    lj["server_cpu_ms_per_login"] = cpu;
    j["login_only"] = lj;
  }
  Json t;
  t["started"] = p.started;
  t["logins_ok"] = p.logins_ok;
  t["casts_ok"] = p.casts_ok;
  t["wall_s"] = p.wall;
  t["throughput"] = Throughput(p.samples, p.wall);
  t["login"] = Percentiles(Column(p.samples, [](const Sample& s) { return s.login; }));
  t["cast"] = Percentiles(Column(p.samples, [](const Sample& s) { return s.cast; }));
  t["voter"] = Percentiles(Column(p.samples, [](const Sample& s) { return s.voter; }));
  size_t errs = 0;
  for (auto& [k, v] : p.errors) errs += v;
  t["errors"] = p.errors;
  t["error_count"] = errs;
  Json cpu = Json::array();
  for (double c : p.server_cpu) {
    cpu.push_back(p.casts_ok ? c * 1000.0 / static_cast<double>(p.casts_ok) : 0.0);
  }
  t["server_cpu_ms_per_voter"] = cpu;
  t["server_cpu_s"] = p.server_cpu;
  t["client_cpu_ms_per_voter"] =
      p.casts_ok ? p.client_cpu * 1000.0 / static_cast<double>(p.casts_ok) : 0.0;
  t["machine_cpu_s"] = p.machine_cpu;
  t["client_cpu_s"] = p.client_cpu;
  t["cores"] = std::thread::hardware_concurrency();
  t["loadavg"] = Json::array({p.loadavg_before, p.loadavg_after});
  j["timed"] = t;
  return j;
}

void PrintLatency(const char* name, const Json& l) {
  if (l.value("n", 0) == 0) {
    std::printf("  %-6s  -\n", name);
    return;
  }
  std::printf("  %-6s  n=%-6zu p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  max %7.1f ms\n", name,
              l["n"].get<size_t>(), l["p50_ms"].get<double>(), l["p95_ms"].get<double>(),
              l["p99_ms"].get<double>(), l["max_ms"].get<double>());
}

void PrintText(const Json& j) {
  const auto& c = j["config"];
  std::printf(
      "isoloir_load: scrutin %s (%zu choices), %zu voters prepared in %.1f s, %zu clients, %s\n",
      c["scrutin"].get<std::string>().c_str(), c["choices"].get<size_t>(),
      c["voters_prepared"].get<size_t>(), j["prepare_seconds"].get<double>(),
      c["concurrency"].get<size_t>(),
      c["rate"].is_number() ? ("open loop at " + c["rate"].dump() + "/s").c_str() : "closed loop");
  if (j.contains("login_only")) {
    const auto& l = j["login_only"];
    std::printf("login only: %zu logins in %.2f s (%.0f/s)\n", l["logins"].get<size_t>(),
                l["wall_s"].get<double>(), l["per_s"].get<double>());
    PrintLatency("login", l["latency"]);
    for (size_t k = 0; k < l["server_cpu_ms_per_login"].size(); ++k) {
      std::printf("  server CPU per login (pid %d and children): %.3f ms\n",
                  c["server_pids"][k].get<int>(), l["server_cpu_ms_per_login"][k].get<double>());
    }
    for (auto& [k, v] : l["errors"].items())
      std::printf("  ERROR %s: %s\n", k.c_str(), v.dump().c_str());
  }
  const auto& t = j["timed"];
  std::printf("timed: %zu voters started, %zu logged in, %zu ballots accepted in %.2f s\n",
              t["started"].get<size_t>(), t["logins_ok"].get<size_t>(), t["casts_ok"].get<size_t>(),
              t["wall_s"].get<double>());
  const auto& th = t["throughput"];
  std::printf("  ballots/s: %.1f steady (10th to 90th percentile of receipts), %.1f overall\n",
              th.value("steady_per_s", 0.0), th["overall_per_s"].get<double>());
  PrintLatency("login", t["login"]);
  PrintLatency("cast", t["cast"]);
  PrintLatency("voter", t["voter"]);
  for (size_t k = 0; k < t["server_cpu_ms_per_voter"].size(); ++k) {
    std::printf("  server CPU per voter, login + cast (pid %d and children): %.3f ms\n",
                c["server_pids"][k].get<int>(), t["server_cpu_ms_per_voter"][k].get<double>());
  }
  std::printf("  client CPU per voter: %.3f ms\n", t["client_cpu_ms_per_voter"].get<double>());
  {
    double servers = 0;
    for (const auto& x : t["server_cpu_s"]) servers += x.get<double>();
    const double machine = t["machine_cpu_s"].get<double>();
    const double wall = t["wall_s"].get<double>();
    std::printf(
        "  machine CPU busy %.1f of %.1f core-seconds: servers %.1f, this client %.1f, others "
        "%.1f (loadavg before %s, after %s)\n",
        machine, wall * t["cores"].get<double>(), servers, t["client_cpu_s"].get<double>(),
        std::max(0.0, machine - servers - t["client_cpu_s"].get<double>()),
        t["loadavg"][0].get<std::string>().c_str(), t["loadavg"][1].get<std::string>().c_str());
  }
  std::printf("  errors: %zu\n", t["error_count"].get<size_t>());
  for (auto& [k, v] : t["errors"].items())
    std::printf("  ERROR %s: %s\n", k.c_str(), v.dump().c_str());
}

}  // namespace

int main(int argc, char** argv) {
  Options o = ParseArgs(argc, argv);
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != 0) Die("curl_global_init failed");

  std::vector<Voter> all = ReadVoters(o.voters_csv);
  ElectionInfo e = FetchElection(o);
  std::vector<Voter> voters;
  for (auto& v : all) {
    if (std::find(v.scrutins.begin(), v.scrutins.end(), e.scrutin) != v.scrutins.end()) {
      voters.push_back(std::move(v));
    }
  }
  if (voters.empty()) Die("no voter of " + o.voters_csv + " votes in scrutin " + e.scrutin);
  if (o.count > 0 && o.count < voters.size()) voters.resize(o.count);
  if (o.login_only > voters.size()) o.login_only = voters.size();
  if (e.context.choices != 11) {
    std::cerr << "isoloir_load: warning: scrutin " << e.scrutin << " has " << e.context.choices
              << " choices; a standard ballot has 11 (10 lists and blank)\n";
  }

  const int threads = o.prepare_threads > 0
                          ? o.prepare_threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::cerr << "isoloir_load: preparing " << voters.size() << " ballots on " << threads
            << " threads...\n";
  const auto p0 = Clock::now();
  Prepare(voters, e, threads);
  const double prepare_s = std::chrono::duration<double>(Clock::now() - p0).count();

  std::optional<PhaseResult> login_phase;
  if (o.login_only > 0) {
    std::cerr << "isoloir_load: login-only phase, " << o.login_only << " logins...\n";
    login_phase = RunPhase(o, voters, e.scrutin, o.login_only, false);
  }
  std::cerr << "isoloir_load: timed phase, " << voters.size() << " voters at most, " << o.seconds
            << " s at most...\n";
  PhaseResult p = RunPhase(o, voters, e.scrutin, voters.size(), true);

  Json summary = Summary(o, e, voters.size(), prepare_s, login_phase, p);
  if (!o.json_out.empty()) {
    std::ofstream f(o.json_out, std::ios::trunc);
    f << summary.dump(2) << "\n";
  }
  if (o.json) {
    std::cout << summary.dump(2) << std::endl;
  } else {
    PrintText(summary);
  }
  curl_global_cleanup();
  size_t errors = summary["timed"]["error_count"].get<size_t>();
  if (login_phase) {
    for (const auto& [kind, n] : login_phase->errors) errors += n;
  }
  return errors == 0 ? 0 : 1;
}
